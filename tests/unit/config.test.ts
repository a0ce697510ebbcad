import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';

describe('configuration', () => {
  it('uses the documented defaults', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ PORT: 3000, DATA_DIR: '.data', ORDER_RATE_LIMIT_PER_MINUTE: 10, DELIVERY_DAYS: 5, CURRENCY: 'USD', NOTIFY_EMAIL_AFTER_SECONDS: 120, SHUTDOWN_DRAIN_SECONDS: 2 });
    expect(c.DATABASE_URL).toBeUndefined();
    expect(c).toMatchObject({ TRUST_PROXY: 0, MAX_STREAMS_PER_USER: 32, REQUEST_TIMEOUT_SECONDS: 30, NOTIFICATIONS_KEEP_DAYS: 90, LOGIN_MAX_FAILURES: 5 });
    expect(c.METRICS_TOKEN).toBeUndefined();
  });

  it('reads TRUST_PROXY as a number of proxies, true meaning one', () => {
    expect(loadConfig({ TRUST_PROXY: 'true' }).TRUST_PROXY).toBe(1);
    expect(loadConfig({ TRUST_PROXY: 'false' }).TRUST_PROXY).toBe(0);
    expect(loadConfig({ TRUST_PROXY: '2' }).TRUST_PROXY).toBe(2);
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['DATABASE_URL', 'mysql://localhost/db'],
    ['ORDER_RATE_LIMIT_PER_MINUTE', '0'],
    ['CURRENCY', 'dollars'],
    ['LOG_LEVEL', 'loud'],
    ['SEED_DEMO', 'maybe'],
    ['TRUST_PROXY', 'yes'],
    ['MAX_STREAMS_PER_USER', '0'],
    ['METRICS_TOKEN', 'short'],
    ['REQUEST_TIMEOUT_SECONDS', 'soon'],
    ['SHUTDOWN_DRAIN_SECONDS', '-1'],
  ])('refuses %s=%s with a message naming the variable', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`${name}: .*${value.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}`));
  });

  it('treats an empty value as unset', () => {
    const c = loadConfig({ DATABASE_URL: '', PORT: '' });
    expect(c.PORT).toBe(3000);
    expect(c.DATABASE_URL).toBeUndefined();
  });
});
