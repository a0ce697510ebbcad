import { describe, expect, it } from 'vitest';
import { SELLER_ORDER_STATUSES, type Status } from '../../src/db/schema.ts';
import { allowedFrom, customerCancelRefusal, deriveStatus, refusal, type Actor } from '../../src/orders/status.ts';

const allowed: Record<string, Actor[]> = {
  'pending->confirmed': ['seller', 'admin'],
  'confirmed->shipped': ['seller', 'admin'],
  'shipped->delivered': ['seller', 'admin'],
  'pending->cancelled': ['customer', 'seller', 'admin'],
  'confirmed->cancelled': ['seller', 'admin'],
};

describe('status machine', () => {
  const cases = SELLER_ORDER_STATUSES.flatMap((from) =>
    SELLER_ORDER_STATUSES.flatMap((to) => (['customer', 'seller', 'admin'] as const).map((actor) => [from, to, actor] as const)),
  );
  it.each(cases)('%s -> %s by %s follows the table', (from, to, actor) => {
    const ok = allowed[`${from}->${to}`]?.includes(actor) ?? false;
    const why = refusal(from, to, actor);
    if (ok) expect(why).toBeNull();
    else expect(why).toMatch(/\w+/);
  });

  it('explains refusals in words', () => {
    expect(refusal('shipped', 'cancelled', 'seller')).toBe('A shipped order can no longer be cancelled.');
    expect(refusal('pending', 'shipped', 'seller')).toContain('confirmed first');
    expect(refusal('confirmed', 'cancelled', 'customer')).toContain('only the seller');
  });

  it('offers the buttons a seller may press now', () => {
    expect(allowedFrom('pending', 'seller')).toEqual(['confirmed', 'cancelled']);
    expect(allowedFrom('shipped', 'seller')).toEqual(['delivered']);
    expect(allowedFrom('confirmed', 'customer')).toEqual([]);
  });

  it.each<[Status[], Status]>([
    [['cancelled', 'cancelled'], 'cancelled'],
    [['pending', 'shipped'], 'pending'],
    [['cancelled', 'shipped'], 'shipped'],
    [['delivered', 'confirmed', 'cancelled'], 'confirmed'],
    [['delivered', 'delivered'], 'delivered'],
  ])('derives %j as %s', (parts, expected) => {
    expect(deriveStatus(parts)).toBe(expected);
  });

  it.each<[Status[], string | null]>([
    [['pending'], null],
    [['pending', 'pending'], null],
    // A store cancelled its part: the customer may still cancel what is left.
    [['cancelled', 'pending'], null],
    [['pending', 'confirmed'], 'Once the seller has confirmed an order, only the seller can cancel it.'],
    [['cancelled', 'shipped'], 'A shipped order can no longer be cancelled.'],
    [['cancelled', 'cancelled'], 'This order is already cancelled.'],
  ])('lets a customer cancel parts %j: %s', (parts, why) => {
    expect(customerCancelRefusal(parts.map((status) => ({ status })))).toBe(why);
  });
});

