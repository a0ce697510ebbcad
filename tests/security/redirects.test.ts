import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { safeRedirect } from '../../src/http/redirect.ts';
import { testApp, type TestApp } from '../helpers/app.ts';
import { Client, ORIGIN } from '../helpers/client.ts';
import { PASSWORD, makeCustomer, makeSeller, signIn } from '../helpers/factories.ts';

/**
 * Every `next`/`back` goes through one safe-redirect function: whatever is sent, the Location a
 * browser follows stays on this site. Browsers drop tabs and line breaks inside URLs and read `\`
 * as `/`, which is how `/<TAB>/evil.example` left the site.
 */
let t: TestApp;
let customerEmail: string;
let customer: Client;
let seller: Client;
let productId: number;
let orderId: number;

beforeAll(async () => {
  t = await testApp({ ORDER_RATE_LIMIT_PER_MINUTE: '100000' });
  const s = await makeSeller(t.database.orm, [{ stock: 1_000_000 }]);
  productId = s.products[0]!.id;
  customerEmail = (await makeCustomer(t.database.orm)).email;
  customer = await signIn(t.app, customerEmail);
  seller = await signIn(t.app, s.user.email);
  const res = await customer.json('POST', '/api/orders', { items: [{ productId, quantity: 1 }], deliveryAddress: '1 Known Street' });
  orderId = ((await res.json()) as { id: number }).id;
});
afterAll(() => t.close());

const HOSTILE = [
  '/\t/evil.example',
  '/\n/evil.example',
  '/\r\n/evil.example',
  '/\\evil.example',
  '/\\/evil.example',
  '//evil.example',
  '///evil.example',
  '/ /evil.example',
  '/\u00a0/evil.example',
  '/\u2028/evil.example',
  'https://evil.example/',
  'javascript:alert(1)',
  '\t//evil.example',
  '/orders\r\nSet-Cookie: x=1',
  '',
];
// Percent-encoded, this is only an odd path of ours: it may be kept, and must still stay home.
const ENCODED = '/%0d%0aSet-Cookie:x=1';

/** Where a browser goes with this Location, from a page on our origin. */
function expectStaysHome(res: Response, sent: string) {
  expect(res.status, JSON.stringify(sent)).toBe(303);
  const location = res.headers.get('location') ?? '';
  expect(location, JSON.stringify(sent)).not.toMatch(/[\p{Cc}\s\\]/u);
  expect(new URL(location, ORIGIN).origin, JSON.stringify(sent)).toBe(ORIGIN);
  expect(location.startsWith('/') && !location.startsWith('//'), location).toBe(true);
}

/** Every route that redirects to a `next` or `back` it was given. */
const SENDERS: Record<string, (target: string) => Promise<Response>> = {
  'POST /login?next': async (next) => new Client(t.app).form(`/login?next=${encodeURIComponent(next)}`, { email: customerEmail, password: PASSWORD }),
  'POST /cart next': (next) => customer.form('/cart', { productId, quantity: 1, next }),
  'POST /notifications/read next': (next) => seller.form('/notifications/read', { next }),
  'POST /seller/orders/:id/status back': (back) => seller.form(`/seller/orders/${orderId}/status`, { status: 'pending', back }),
  // A header cannot carry line breaks or non-Latin-1 text at all; the rest is sent as it is.
  'POST /seller/bulk (Referer)': (path) => seller.form('/seller/bulk', { status: 'confirmed', ids: [] }, { referer: `${ORIGIN}${path.replace(/[^\t\x20-\x7e]/g, '')}` }),
};

describe('redirect targets stay on this site', () => {
  for (const [route, send] of Object.entries(SENDERS)) {
    it(`${route}: known escapes fall back to a page of ours`, async () => {
      for (const target of [...HOSTILE, ENCODED]) {
        const res = await send(target);
        expectStaysHome(res, target);
      }
    });

    it(`${route}: random targets never leave the site and never give a 5xx`, async () => {
      const target = fc.oneof(fc.string({ unit: 'binary', maxLength: 30 }).map((s) => `/${s}`), fc.string({ unit: 'binary', maxLength: 30 }));
      await fc.assert(
        fc.asyncProperty(target, async (x) => {
          const res = await send(x);
          expect(res.status).toBeLessThan(500);
          // The Referer case may legitimately be refused by URL parsing in fetch; every redirect stays home.
          if (res.status === 303) expectStaysHome(res, x);
        }),
        // Each sign-in hashes a password (argon2): fewer runs there keep the test within its time on a busy machine.
        { numRuns: route.startsWith('POST /login') ? 8 : 20 },
      );
    });
  }

  it('a sign-in with CR/LF in next redirects home, once, with one new session (it was a 500 after the session was created)', async () => {
    const client = new Client(t.app);
    const res = await client.form(`/login?next=${encodeURIComponent('/orders\r\nX-Injected: 1')}`, { email: customerEmail, password: PASSWORD });
    expectStaysHome(res, 'CR/LF');
    expect(res.headers.get('location')).toBe('/');
    expect(res.headers.get('x-injected')).toBeNull();
    expect((await client.get('/orders')).status).toBe(200);
  });

  it('keeps ordinary same-site targets with their query', async () => {
    const res = await new Client(t.app).form(`/login?next=${encodeURIComponent('/orders?cursor=5')}`, { email: customerEmail, password: PASSWORD });
    expect(res.headers.get('location')).toBe('/orders?cursor=5');
    expect(safeRedirect('/seller?status=pending', '/')).toBe('/seller?status=pending');
    for (const bad of HOSTILE) expect(safeRedirect(bad, '/home')).toBe('/home');
  });
});
