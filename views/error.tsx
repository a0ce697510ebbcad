export const ErrorPage = ({ status, message }: { status: number; message: string }) => (
  <section class="card narrow">
    <h1>{status === 404 ? 'Not found' : status >= 500 ? 'Something went wrong' : 'That did not work'}</h1>
    <p>{message}</p>
    <p>
      <a href="/">Back to the shop</a>
    </p>
  </section>
);
