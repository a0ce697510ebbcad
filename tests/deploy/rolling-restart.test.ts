import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import { freePort } from '../../src/db/embedded.ts';
import { CHROMIUM, launchBrowser, signInPage } from '../helpers/browser.ts';
import { freshDatabase, holdListenerLogins } from '../helpers/db.ts';
import { apiClient, makeCustomer, makeSeller, PASSWORD } from '../helpers/factories.ts';
import { holders, markDocument, observeTab, sameDocument } from '../helpers/live-tab.ts';
import { startAppProcess, type AppProcess } from '../helpers/process.ts';

const CADDY = process.env.CADDY_PATH ?? '/usr/bin/caddy';
const available = existsSync(CADDY) && existsSync(CHROMIUM);
if (!available && process.env.REQUIRE_E2E !== '1') console.warn(`[deploy] skipped: needs Caddy at ${CADDY} and Chromium at ${CHROMIUM} (apt-get install caddy chromium; REQUIRE_E2E=1 fails instead)`);
const describeDeploy = available || process.env.REQUIRE_E2E === '1' ? describe : describe.skip;

/** Caddy with deploy/Caddyfile as a shop runs it, on high ports, its data and local CA in `home`. */
async function startCaddy(home: string, httpsPort: number, upstreams: number[]) {
  const env = {
    ...process.env,
    HOME: home,
    XDG_DATA_HOME: join(home, 'data'),
    XDG_CONFIG_HOME: join(home, 'config'),
    ORDERBELL_SITE: `https://localhost:${httpsPort}`,
    ORDERBELL_UPSTREAMS: upstreams.map((p) => `127.0.0.1:${p}`).join(' '),
    CADDY_ADMIN: 'off',
    CADDY_HTTP_PORT: String(await freePort()),
    CADDY_HTTPS_PORT: String(httpsPort),
  };
  const child = spawn(CADDY, ['run', '--config', 'deploy/Caddyfile', '--adapter', 'caddyfile'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const rootCert = join(home, 'data/caddy/pki/authorities/local/root.crt');
  // Caddy makes its local authority at start; it is there once the site is served.
  for (const deadline = Date.now() + 30_000; !existsSync(rootCert); await new Promise((r) => setTimeout(r, 100))) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`caddy did not start:\n${out}`);
  }
  return { child, output: () => out, agent: new Agent({ ca: readFileSync(rootCert), keepAlive: true }) };
}

type Answer = { status: number; body: string; error?: string };

describeDeploy('the deploy/ Caddy config in front of two processes', () => {
  let home: string;
  let caddy: Awaited<ReturnType<typeof startCaddy>>;
  let browser: Browser;
  const apps: AppProcess[] = [];
  let ports: number[];
  let origin: string;
  let env: Record<string, string>;
  let database: Database;

  /** A request through the proxy, over TLS checked against Caddy's local authority. */
  const proxied = (method: string, path: string, token: string, body?: unknown, headers: Record<string, string> = {}) =>
    new Promise<Answer>((done) => {
      const req = request(`${origin}${path}`, { method, agent: caddy.agent, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers } }, (res) => {
        let text = '';
        res.on('data', (d) => (text += d));
        res.on('end', () => done({ status: res.statusCode!, body: text }));
        res.on('error', (e) => done({ status: 0, body: text, error: String(e) }));
      });
      req.on('error', (e) => done({ status: 0, body: '', error: String(e) }));
      req.end(body === undefined ? undefined : JSON.stringify(body));
    });

  beforeAll(async () => {
    home = mkdtempSync(join(tmpdir(), 'orderbell-caddy-'));
    const fresh = await freshDatabase();
    database = fresh.database;
    const url = fresh.url;
    env = { DATABASE_URL: url, LOG_LEVEL: 'info', ORDER_RATE_LIMIT_PER_MINUTE: '100000', SHUTDOWN_DRAIN_SECONDS: '2' };
    ports = [await freePort(), await freePort()];
    for (const port of ports) apps.push(await startAppProcess(env, port));
    const httpsPort = await freePort();
    origin = `https://localhost:${httpsPort}`;
    caddy = await startCaddy(home, httpsPort, ports);
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await database?.close();
    caddy?.child.kill('SIGTERM');
    for (const app of apps) if (app.child.exitCode === null) app.child.kill('SIGKILL');
    if (home) rmSync(home, { recursive: true, force: true });
  });

  /** The process has answered a checkout sent through the proxy: Caddy counts it healthy and routes to it. */
  const takesOrders = (app: AppProcess) => expect.poll(() => /"path":"\/api\/orders","status":201/.test(app.output()), { timeout: 30_000 }).toBe(true);

  it('restarts both processes one after the other while customers order: no checkout fails, every order shows once on the open tab, which never reloads', async () => {
    const shop = await makeSeller(database.orm, [{ stock: 100_000 }]);
    const customers = await Promise.all([0, 1, 2].map(() => makeCustomer(database.orm)));
    const tokens = await Promise.all(customers.map(async (c) => (await apiClient(apps[0]!.origin, c.email)).token!));

    // The seller's dashboard through the proxy, over HTTP/2.
    const context = await browser.newContext({ ignoreHTTPSErrors: true });
    await context.addInitScript(observeTab);
    const tab = await context.newPage();
    await signInPage(tab, origin, shop.user.email, PASSWORD);
    await tab.goto(`${origin}/seller`);
    expect(await tab.evaluate(() => (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).nextHopProtocol)).toBe('h2');
    await expect.poll(() => holders([tab]), { timeout: 10_000 }).toHaveLength(1);
    await markDocument(tab);

    // Customers order one after another, each as fast as the answers come, until told to stop.
    let ordering = true;
    const answers: Answer[] = [];
    const customerLoop = async (token: string) => {
      while (ordering) {
        const body = { items: [{ productId: shop.products[0]!.id, quantity: 1 }], deliveryAddress: '1 Rolling Road, Restartby' };
        answers.push(await proxied('POST', '/api/orders', token, body, { 'idempotency-key': randomUUID() }));
      }
    };
    const loops = tokens.map(customerLoop);
    for (const app of apps) await takesOrders(app);

    for (const i of [0, 1]) {
      const old = apps[i]!;
      old.child.kill('SIGTERM');
      expect(await old.exited).toBe(0);
      apps[i] = await startAppProcess(env, ports[i]);
      await takesOrders(apps[i]!);
    }
    ordering = false;
    await Promise.all(loops);

    const failed = answers.filter((a) => a.status !== 201);
    if (failed.length) console.error(`[deploy] ${failed.length} of ${answers.length} checkouts failed; Caddy said:\n${caddy.output()}`);
    expect(failed).toEqual([]);
    const ids = answers.map((a) => (JSON.parse(a.body) as { id: number }).id);
    expect(new Set(ids).size).toBe(ids.length);

    // Every order once on the open tab, which was never reloaded.
    const rowsOf = () => tab.evaluate((want) => want.map((id) => document.querySelectorAll(`#seller-order-${id}`).length), ids);
    await expect.poll(async () => (await rowsOf()).every((n) => n >= 1), { timeout: 30_000 }).toBe(true);
    expect(new Set(await rowsOf())).toEqual(new Set([1]));
    expect(await tab.locator('#seller-orders > article').count()).toBe(ids.length);
    expect(await sameDocument(tab)).toBe(true);
    await context.close();
  }, 480_000); // four process starts: minutes on a machine busy with other work

  it('holds a checkout sent while no process is healthy until one is, instead of answering 503', async () => {
    const shop = await makeSeller(database.orm, [{ stock: 10 }]);
    const token = (await apiClient(apps[0]!.origin, (await makeCustomer(database.orm)).email)).token!;
    const sql = database.sql;
    // Both processes lose LISTEN (so /readyz answers 503 while they still serve), and a login
    // event trigger holds their reconnects for 2 s: a window in which Caddy counts none healthy.
    const release = await holdListenerLogins(sql, 2);
    try {
      const seen = caddy.output().length;
      const killed = await sql`select pg_terminate_backend(pid) as ok from pg_stat_activity
        where datname = current_database() and application_name like 'orderbell-listener-%' and query ilike 'listen %'`;
      expect(killed).toEqual([{ ok: true }, { ok: true }]);
      // Caddy's health checker says when it took each process out of rotation (and when one is back).
      const health = () => caddy.output().slice(seen).split('\n').filter((l) => l.includes('health_checker')).map((l) => JSON.parse(l) as { msg: string; host: string });
      const down = () => new Set(health().filter((h) => h.msg === 'unexpected status code').map((h) => h.host));
      await expect.poll(() => down().size, { timeout: 5000, interval: 50 }).toBe(2);
      expect(health().filter((h) => h.msg === 'host is up')).toEqual([]);

      const answer = await proxied('POST', '/api/orders', token, { items: [{ productId: shop.products[0]!.id, quantity: 1 }], deliveryAddress: '2 Waiting Way, Holdton' }, { 'idempotency-key': randomUUID() });
      expect(answer).toMatchObject({ status: 201 });
      // It was answered by a process Caddy had taken back, not by one it never took out.
      expect(health().filter((h) => h.msg === 'host is up').length).toBeGreaterThan(0);
    } finally {
      await release();
    }
    for (const app of apps) await expect.poll(async () => (await fetch(`${app.origin}/readyz`)).status, { timeout: 15_000 }).toBe(200);
  }, 60_000);
});
