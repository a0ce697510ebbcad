import { Card, Field, FormError, type Errors, type Values } from './forms.tsx';

interface FormProps {
  values?: Values;
  errors?: Errors;
  message?: string | null;
}

export const LoginPage = ({ values, errors, message, next }: FormProps & { next?: string }) => (
  <Card title="Sign in">
    <form method="post" action={next ? `/login?next=${encodeURIComponent(next)}` : '/login'} novalidate>
      <FormError message={message} />
      <Field label="Email" name="email" type="email" autocomplete="username" required values={values} errors={errors} />
      <Field label="Password" name="password" type="password" autocomplete="current-password" required errors={errors} />
      <button type="submit">Sign in</button>
    </form>
    <p>
      New here? <a href="/signup">Create an account</a>
    </p>
  </Card>
);

export const SignupPage = ({ values, errors, message }: FormProps) => (
  <Card title="Create your account">
    <form method="post" action="/signup" novalidate>
      <FormError message={message} />
      <Field label="Name" name="name" autocomplete="name" required maxlength={100} values={values} errors={errors} />
      <Field label="Email" name="email" type="email" autocomplete="email" required values={values} errors={errors} />
      <Field label="Phone" name="phone" type="tel" autocomplete="tel" required values={values} errors={errors} />
      <Field
        label="Password"
        name="password"
        type="password"
        autocomplete="new-password"
        required
        minlength={8}
        hint="At least 8 characters."
        errors={errors}
      />
      <button type="submit">Sign up</button>
    </form>
    <p>
      Already have an account? <a href="/login">Sign in</a>
    </p>
  </Card>
);
