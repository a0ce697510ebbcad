export const ErrorPage = ({ status, message }: { status: number; message: string }) => (
  <section class="card narrow">
    <h1>{status === 404 ? 'Not found' : status >= 500 ? 'Something went wrong' : 'That did not work'}</h1>
    <p>{message}</p>
    <p>
      <a href="/">Back to the shop</a>
    </p>
  </section>
);

const label = (name: string) => name.replace(/([A-Z])/g, ' $1').replace(/^./, (ch) => ch.toUpperCase());
const hidden = (name: string) => /key$|token$/i.test(name);

/** A form post that could not be served (the database was away): what was typed, ready to send again. */
export const KeptForm = ({ action, message, values }: { action: string; message: string; values: Record<string, string | string[]> }) => (
  <section class="card narrow">
    <h1>Please try again in a moment</h1>
    <p role="alert">{message} Nothing was saved; what you entered is kept below.</p>
    <form method="post" action={action}>
      {Object.entries(values)
        .filter(([name]) => !/password/i.test(name))
        .flatMap(([name, value]) => (Array.isArray(value) ? value : [value]).map((v) => [name, v] as const))
        .map(([name, value]) =>
          hidden(name) ? (
            <input type="hidden" name={name} value={value} />
          ) : (
            <div class="field">
              <label for={`kept-${name}`}>{label(name)}</label>
              <textarea id={`kept-${name}`} name={name} rows={2}>{value}</textarea>
            </div>
          ),
        )}
      <button type="submit">Try again</button>
    </form>
  </section>
);
