import { z } from 'zod';

const flag = z
  .enum(['0', '1', 'true', 'false', ''])
  .transform((v) => v === '1' || v === 'true')
  .optional();
const int = (def: number, min = 0) =>
  z.coerce.number({ error: 'must be a whole number' }).int('must be a whole number').min(min, `must be at least ${min}`).default(def);

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: int(3000).pipe(z.number().max(65535, 'must be a port number from 0 to 65535')),
  HOST: z.string().default('0.0.0.0'),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// URL' }).optional(),
  DATA_DIR: z.string().min(1).default('.data'),
  SEED_DEMO: flag,
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DB_POOL_MAX: int(10, 1),
  ORDER_RATE_LIMIT_PER_MINUTE: int(10, 1),
  LOGIN_MAX_FAILURES: int(5, 1),
  LOGIN_MAX_FAILURES_PER_CLIENT: int(50, 1),
  LOGIN_MAX_FAILURES_PER_ACCOUNT: int(100, 1),
  // How many proxies stand in front of the app: the client address is the one the outermost of
  // them saw, read from X-Forwarded-For. 0 (default): the socket's address, the header ignored.
  TRUST_PROXY: z.preprocess(
    (v) => ({ true: '1', false: '0' })[String(v)] ?? v,
    int(0).pipe(z.number().max(10, 'must be the number of proxies in front of the app (0 to 10), or true/false')),
  ),
  DELIVERY_DAYS: int(5),
  CURRENCY: z.string().regex(/^[A-Z]{3}$/, 'a three-letter ISO 4217 code such as USD').default('USD'),
  NOTIFY_EMAIL_AFTER_SECONDS: int(120),
  // The fallback email's delay while no seller of the store has a page open (decision 015).
  NOTIFY_EMAIL_OFFLINE_SECONDS: int(15),
  // How often a seller's browser chimes again (and flashes its title) for an unacknowledged new order.
  ALERT_REPEAT_SECONDS: int(30, 1),
  // Hidden or disconnected at least this long: the dashboard sums up what arrived meanwhile.
  AWAY_SUMMARY_SECONDS: int(300, 1),
  SMTP_URL: z.url({ protocol: /^smtps?$/, error: 'must be an smtp:// or smtps:// URL' }).optional(),
  SMTP_FROM: z.string().default('Orderbell <orders@orderbell.test>'),
  SSE_HEARTBEAT_SECONDS: int(15, 1),
  MAX_STREAMS_PER_USER: int(32, 1),
  METRICS_TOKEN: z.string().min(16, 'must have at least 16 characters').optional(),
  REQUEST_TIMEOUT_SECONDS: int(30, 1),
  NOTIFICATIONS_KEEP_DAYS: int(90, 1),
  SHUTDOWN_DRAIN_SECONDS: int(2),
});

export type Config = z.infer<typeof schema>;

/** Parses the environment once; a bad value stops the start with the variable's name. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const blanksRemoved = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ''));
  const parsed = schema.safeParse(blanksRemoved);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message} (got ${JSON.stringify(env[String(i.path[0])])})`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return parsed.data;
}

export class ConfigError extends Error {}
