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
}

/** A labelled input with its error message next to it; the typed value is kept. */
export function Field({ label, name, values, errors, type = 'text', hint, multiline, ...rest }: FieldProps) {
  const id = `f-${name}`;
  const error = errors?.[name];
  const value = values?.[name] == null ? '' : String(values[name]);
  const describedBy = [hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(' ') || undefined;
  const common = { id, name, 'aria-invalid': error ? 'true' : undefined, 'aria-describedby': describedBy, ...rest };
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

/** The form-wide message (e.g. "Wrong email or password"), shown above the fields. */
export const FormError = ({ message }: { message?: string | null }) =>
  message ? (
    <p class="form-error" role="alert">
      {message}
    </p>
  ) : null;

export const Card = ({ title, children }: { title: string; children: Child }) => (
  <section class="card narrow">
    <h1>{title}</h1>
    {children}
  </section>
);
