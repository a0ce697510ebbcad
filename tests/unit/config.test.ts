import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';

describe('configuration', () => {
  it('uses the documented defaults', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ PORT: 3000, DATA_DIR: '.data', ORDER_RATE_LIMIT_PER_MINUTE: 10, DELIVERY_DAYS: 5, CURRENCY: 'USD', NOTIFY_EMAIL_AFTER_SECONDS: 120, SHUTDOWN_DRAIN_SECONDS: 2 });
    expect(c.DATABASE_URL).toBeUndefined();
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['DATABASE_URL', 'mysql://localhost/db'],
    ['ORDER_RATE_LIMIT_PER_MINUTE', '0'],
    ['CURRENCY', 'dollars'],
    ['LOG_LEVEL', 'loud'],
    ['SEED_DEMO', 'maybe'],
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
