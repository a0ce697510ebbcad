import { describe, expect, it } from 'vitest';
import { orderDetailsSchema } from '../../src/orders/schemas.ts';

describe('order text fields count characters as people do', () => {
  it.each([
    ['🏠🏠x', false],
    ['🏠🏠🏠🏠🏠', true],
    ['Café', false],
    ['Straße 5', true],
  ])('"%s" as a delivery address is %s', (address, ok) => {
    expect(orderDetailsSchema.safeParse({ deliveryAddress: address }).success).toBe(ok);
  });

  it('allows 500 characters of accented text, not 501', () => {
    expect(orderDetailsSchema.safeParse({ deliveryAddress: 'é'.repeat(500) }).success).toBe(true);
    expect(orderDetailsSchema.safeParse({ deliveryAddress: 'é'.repeat(501) }).success).toBe(false);
  });
});
