import type { Child } from 'hono/jsx';

export type Errors = Record<string, string> | undefined;
export type Values = Record<string, unknown>;

interface FieldProps {
  label: string;
  name: string;
  values?: Values;
  errors?: Errors;
  type?: string;
  required?: boolean;
  readonly?: boolean;
  autocomplete?: string;
  hint?: string;
  multiline?: boolean;
  maxlength?: number;
  minlength?: number;
  /** The first field in error: focus goes here (also after an htmx swap, which honours autofocus). */
  autofocus?: boolean;
}

/** A labelled input with its error message next to it; the typed value is kept. */
export function Field({ label, name, values, errors, type = 'text', hint, multiline, ...rest }: FieldProps) {
  const id = `f-${name}`;
  const error = errors?.[name];
  const value = values?.[name] == null ? '' : String(values[name]);
  const describedBy = [hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(' ') || undefined;
  const common = { id, name, 'aria-invalid': error ? 'true' : undefined, 'aria-describedby': describedBy, ...rest, autofocus: rest.autofocus || undefined };
  return (
    <div class={error ? 'field has-error' : 'field'}>
      <label for={id}>{label}</label>
      {multiline ? <textarea {...common} rows={3}>{value}</textarea> : <input {...common} type={type} value={type === 'password' ? '' : value} />}
      {hint && (
        <small id={`${id}-hint`} class="hint">
          {hint}
        </small>
      )}
      {error && (
        <p id={`${id}-error`} class="error">
          {error}
        </p>
      )}
    </div>
  );
}

/** A form's fields in page order: name, label and element id (`f-<name>` unless given). */
export type FieldList = readonly (readonly [name: string, label: string, id?: string])[];

/** The name of the first field in error, which takes the focus. */
export const firstInvalid = (errors: Errors, fields: FieldList) => fields.find(([name]) => errors?.[name])?.[0];

/**
 * The form-wide message (e.g. "Wrong email or password") above the fields, with a link to each
 * field in error. When no field is at fault the summary itself takes the focus (`focus`), so a
 * keyboard or screen-reader user lands on what went wrong rather than staying on the button.
 */
export function FormError({ message, errors, fields = [], focus = true }: { message?: string | null; errors?: Errors; fields?: FieldList; focus?: boolean }) {
  const listed = fields.filter(([name]) => errors?.[name]);
  if (!message && !listed.length) return null;
  return (
    <div class="form-error" role="alert" tabindex={-1} autofocus={(focus && !listed.length) || undefined}>
      {message && <p>{message}</p>}
      {listed.length > 0 && (
        <ul>
          {listed.map(([name, label, id]) => (
            <li>
              <a href={`#${id ?? `f-${name}`}`}>
                {label}: {errors![name]}
              </a>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export const Card = ({ title, children }: { title: string; children: Child }) => (
  <section class="card narrow">
    <h1>{title}</h1>
    {children}
  </section>
);
