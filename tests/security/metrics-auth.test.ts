import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../helpers/app.ts';
import { Client } from '../helpers/client.ts';
import { apiClient, makeAdmin } from '../helpers/factories.ts';

const TOKEN = 'metrics-auth-test-token-0123456789';

describe('/metrics answers only a scraper with METRICS_TOKEN', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp({ METRICS_TOKEN: TOKEN });
  });
  afterAll(() => t.close());

  it('401 without the token, with a wrong one, or with a session token (even an admin\'s)', async () => {
    const admin = await apiClient(t.app, (await makeAdmin(t.database.orm)).email);
    const variants: Record<string, string>[] = [{}, { authorization: `Bearer ${TOKEN}x` }, { authorization: `Bearer ${TOKEN.slice(0, -1)}` }, { authorization: `Basic ${TOKEN}` }, { authorization: `Bearer ${admin.token}` }];
    for (const headers of variants) {
      const res = await new Client(t.app).get('/metrics', headers);
      expect(res.status, JSON.stringify(headers)).toBe(401);
      const text = await res.text();
      expect(text).not.toContain('nodejs_version_info');
      expect(text).not.toContain('orderbell_');
    }
  });

  it('200 with the Prometheus text, table sizes included, for Authorization: Bearer <METRICS_TOKEN>', async () => {
    const res = await new Client(t.app).get('/metrics', { authorization: `Bearer ${TOKEN}` });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    expect(res.headers.get('cache-control')).toBe('no-store');
    const text = await res.text();
    expect(text).toContain('nodejs_version_info');
    expect(text).toMatch(/^orderbell_table_bytes\{table="notifications"\} \d+/m);
    expect(text).toMatch(/^orderbell_table_bytes\{table="rate_limit_hits"\} \d+/m);
  });
});

describe('/metrics without METRICS_TOKEN configured', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp();
  });
  afterAll(() => t.close());

  it('does not exist (404), whatever is sent', async () => {
    const variants: Record<string, string>[] = [{}, { authorization: 'Bearer ' }, { authorization: 'Bearer anything-at-all-here' }];
    for (const headers of variants) {
      const res = await new Client(t.app).get('/metrics', headers);
      expect(res.status).toBe(404);
      expect(await res.text()).not.toContain('nodejs_');
    }
  });
});
