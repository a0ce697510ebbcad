import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvCell } from '../../src/admin/csv.ts';
import { hasHiddenCharacters } from '../../src/http/text.ts';
import { testApp, type TestApp } from '../helpers/app.ts';
import { Client } from '../helpers/client.ts';
import { apiClient, makeAdmin, makeCustomer, makeSeller, signIn } from '../helpers/factories.ts';

/**
 * Bidi controls and zero-width characters disguise text in seller, admin and CSV views ("evil\u202Etxt.exe"
 * reads "evilexe.txt"): names, addresses, notes and reasons refuse them with a field message.
 */
let t: TestApp;
let customerApi: Client;
let customerPage: Client;
let sellerApi: Client;
let admin: Client;
let productId: number;

beforeAll(async () => {
  t = await testApp({ ORDER_RATE_LIMIT_PER_MINUTE: '100000' });
  const s = await makeSeller(t.database.orm, [{ stock: 100_000 }]);
  productId = s.products[0]!.id;
  const c = await makeCustomer(t.database.orm, { name: 'Lee; "Ann"' });
  customerApi = await apiClient(t.app, c.email);
  customerPage = await signIn(t.app, c.email);
  sellerApi = await apiClient(t.app, s.user.email);
  admin = await signIn(t.app, (await makeAdmin(t.database.orm)).email);
});
afterAll(() => t.close());

const HIDDEN = {
  'RIGHT-TO-LEFT OVERRIDE': '\u202e',
  'LEFT-TO-RIGHT EMBEDDING': '\u202a',
  'RIGHT-TO-LEFT ISOLATE': '\u2067',
  'POP DIRECTIONAL ISOLATE': '\u2069',
  'RIGHT-TO-LEFT MARK': '\u200f',
  'ARABIC LETTER MARK': '\u061c',
  'ZERO WIDTH SPACE': '\u200b',
  'ZERO WIDTH NO-BREAK SPACE': '\ufeff',
  'WORD JOINER': '\u2060',
  'ZERO WIDTH JOINER between Latin letters': '\u200d',
  'ZERO WIDTH NON-JOINER between Latin letters': '\u200c',
};
const disguised = (ch: string) => `12 Harbour${ch} Road gnp.exe`;
const MESSAGE = /invisible or direction-changing/;

const ordersCount = async () => (await t.database.sql<{ n: number }[]>`select count(*)::int as n from orders`)[0]!.n;

async function placeOrder(fields: Record<string, unknown>) {
  return customerApi.json('POST', '/api/orders', { items: [{ productId, quantity: 1 }], deliveryAddress: '1 Plain Street', ...fields });
}

describe('names, addresses, notes and reasons refuse hidden characters with a field message', () => {
  for (const [name, ch] of Object.entries(HIDDEN)) {
    it(name, async () => {
      const before = await ordersCount();
      for (const field of ['deliveryAddress', 'notes']) {
        const res = await placeOrder({ [field]: disguised(ch) });
        expect(res.status, field).toBe(400);
        expect(((await res.json()) as { error: { fields: Record<string, string> } }).error.fields[field], field).toMatch(MESSAGE);
      }
      expect((await customerPage.form('/cart', { productId, quantity: 1 })).status).toBe(303);
      const form = await customerPage.form('/checkout', { deliveryAddress: disguised(ch), notes: '' });
      expect(form.status).toBe(422);
      expect(await form.text()).toMatch(MESSAGE);
      expect(await ordersCount()).toBe(before);

      const signup = await new Client(t.app).form('/signup', { name: `Ad${ch}min`, email: `x${Date.now()}@example.test`, phone: '+1 555 0100', password: 'long enough' });
      expect(signup.status).toBe(422);
      expect(await signup.text()).toMatch(MESSAGE);

      const ok = await placeOrder({});
      const order = (await ok.json()) as { id: number; sellerOrders: { id: number }[] };
      const status = await sellerApi.json('PUT', `/api/orders/${order.id}/status`, { status: 'cancelled', reason: `out${ch}of stock` });
      expect(status.status).toBe(400);
      expect(((await status.json()) as { error: { fields: Record<string, string> } }).error.fields.reason).toMatch(MESSAGE);
      const override = await admin.form(`/admin/orders/${order.id}/parts/${order.sellerOrders[0]!.id}/status`, { status: 'confirmed', reason: `Phoned${ch} the store` });
      expect(override.status).toBe(422);
      expect(await override.text()).toMatch(MESSAGE);
      const [row] = await t.database.sql<{ status: string }[]>`select status from orders where id = ${order.id}`;
      expect(row!.status).toBe('pending');
    });
  }

  it('keeps what writing needs: emoji sequences, ZWNJ in Persian, accents, line breaks in notes', async () => {
    const res = await placeOrder({ deliveryAddress: 'خیابان می\u200cخواهم ۱۲, Tehran', notes: 'Family 👨\u200d👩\u200d👧 at home,\nring twice. Zoë' });
    expect(res.status).toBe(201);
    expect(hasHiddenCharacters('👍🏽\u200d🔥')).toBe(false);
  });
});

describe('CSV export', () => {
  it('quotes every cell holding a separator (, or ;), a quote or a line break', () => {
    expect(csvCell('Flat 2; 5 Main St')).toBe('"Flat 2; 5 Main St"');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('tab\there')).toBe('"tab\there"');
    expect(csvCell('plain')).toBe('plain');
  });

  it('quotes the semicolon in the downloaded file, so no column shifts', async () => {
    const placed = await placeOrder({ deliveryAddress: 'Flat 2; 5 Main St, Leeds' });
    expect(placed.status).toBe(201);
    const csv = await (await admin.get('/admin/orders.csv')).text();
    const line = csv.split('\r\n').find((l) => l.includes('Flat 2'))!;
    expect(line).toContain('"Flat 2; 5 Main St, Leeds"');
    expect(line).toContain('"Lee; ""Ann"""');
  });
});
