import { Card, Field, FormError, firstInvalid, type Errors, type Values } from './forms.tsx';

interface FormProps {
  values?: Values;
  errors?: Errors;
  message?: string | null;
}

const LOGIN_FIELDS = [['email', 'Email'], ['password', 'Password']] as const;
const SIGNUP_FIELDS = [['name', 'Name'], ['email', 'Email'], ['phone', 'Phone'], ['password', 'Password']] as const;

export const LoginPage = ({ values, errors, message, next }: FormProps & { next?: string }) => {
  const first = firstInvalid(errors, LOGIN_FIELDS);
  return (
    <Card title="Sign in">
      <form method="post" action={next ? `/login?next=${encodeURIComponent(next)}` : '/login'} novalidate>
        <FormError message={message} errors={errors} fields={LOGIN_FIELDS} />
        <Field label="Email" name="email" type="email" autocomplete="username" required values={values} errors={errors} autofocus={first === 'email'} />
        <Field label="Password" name="password" type="password" autocomplete="current-password" required errors={errors} autofocus={first === 'password'} />
        <button type="submit">Sign in</button>
      </form>
      <p>
        New here? <a href="/signup">Create an account</a>
      </p>
    </Card>
  );
};

export const SignupPage = ({ values, errors, message }: FormProps) => {
  const first = firstInvalid(errors, SIGNUP_FIELDS);
  return (
    <Card title="Create your account">
      <form method="post" action="/signup" novalidate>
        <FormError message={message} errors={errors} fields={SIGNUP_FIELDS} />
        <Field label="Name" name="name" autocomplete="name" required maxlength={100} values={values} errors={errors} autofocus={first === 'name'} />
        <Field label="Email" name="email" type="email" autocomplete="email" required values={values} errors={errors} autofocus={first === 'email'} />
        <Field label="Phone" name="phone" type="tel" autocomplete="tel" required values={values} errors={errors} autofocus={first === 'phone'} />
        <Field
          label="Password"
          name="password"
          type="password"
          autocomplete="new-password"
          required
          minlength={8}
          hint="At least 8 characters."
          errors={errors}
          autofocus={first === 'password'}
        />
        <button type="submit">Sign up</button>
      </form>
      <p>
        Already have an account? <a href="/login">Sign in</a>
      </p>
    </Card>
  );
};
