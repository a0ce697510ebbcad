import { Hono } from 'hono';
import { LoginPage, SignupPage } from '../../views/auth.tsx';
import type { Role } from '../db/schema.ts';
import { formBody, jsonBody } from '../http/body.ts';
import { safeRedirect } from '../http/redirect.ts';
import { clientAddress } from '../http/request-facts.ts';
import type { Config } from '../config.ts';
import type { AppEnv } from '../env.ts';
import { attempt, formAgain } from '../http/forms.ts';
import { page } from '../http/render.tsx';
import { parse } from '../http/validate.ts';
import { requireUser } from './middleware.ts';
import { loginSchema, signupSchema } from './schemas.ts';
import { login, signup, type LoginLimits } from './service.ts';

const loginLimits = (config: Config): LoginLimits => ({
  perAccountAndClient: config.LOGIN_MAX_FAILURES,
  perClient: config.LOGIN_MAX_FAILURES_PER_CLIENT,
  perAccount: config.LOGIN_MAX_FAILURES_PER_ACCOUNT,
});

export const homeFor = (role: Role) => ({ customer: '/', seller: '/seller', admin: '/admin/orders' })[role];

export const authRoutes = new Hono<AppEnv>()
  .get('/login', (c) => page(c, 'Sign in', <LoginPage next={c.req.query('next')} />))
  .post('/login', async (c) => {
    const values = await formBody(c);
    const next = c.req.query('next');
    const { database, auth, config } = c.get('deps');
    const signedIn = await attempt(() => login(database.sql, auth, parse(loginSchema, values), loginLimits(config), clientAddress(c)));
    if (!signedIn.ok) {
      const { error } = signedIn;
      return formAgain(c, signedIn, <LoginPage values={values} errors={error.fields} message={error.message} next={next} />);
    }
    const session = signedIn.value;
    c.header('Set-Cookie', auth.createSessionCookie(session.id).serialize(), { append: true });
    const { user } = await auth.validateSession(session.id);
    return c.redirect(safeRedirect(next, homeFor(user!.role)), 303);
  })
  .get('/signup', (c) => page(c, 'Sign up', <SignupPage />))
  .post('/signup', async (c) => {
    const values = await formBody(c);
    const { database, auth } = c.get('deps');
    const signedUp = await attempt(() => signup(database.sql, auth, parse(signupSchema, values)));
    if (!signedUp.ok) {
      const { error } = signedUp;
      return formAgain(c, signedUp, <SignupPage values={values} errors={error.fields} message={error.message} />);
    }
    const session = signedUp.value;
    c.header('Set-Cookie', auth.createSessionCookie(session.id).serialize(), { append: true });
    return c.redirect('/', 303);
  })
  .post('/logout', async (c) => {
    const { auth } = c.get('deps');
    const session = c.get('session');
    if (session) await auth.invalidateSession(session.id);
    c.header('Set-Cookie', auth.createBlankSessionCookie().serialize(), { append: true });
    return c.redirect('/login', 303);
  })
  .post('/api/session', async (c) => {
    const { database, auth, config } = c.get('deps');
    const session = await login(database.sql, auth, parse(loginSchema, await jsonBody(c)), loginLimits(config), clientAddress(c));
    const { user } = await auth.validateSession(session.id);
    c.header('Set-Cookie', auth.createSessionCookie(session.id).serialize(), { append: true });
    return c.json({ user, token: session.id }, 201);
  })
  .delete('/api/session', requireUser, async (c) => {
    const { auth } = c.get('deps');
    await auth.invalidateSession(c.get('session').id);
    c.header('Set-Cookie', auth.createBlankSessionCookie().serialize(), { append: true });
    return c.body(null, 204);
  });
