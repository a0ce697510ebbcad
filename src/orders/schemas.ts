import { z } from 'zod';
import { NotFound } from '../http/errors.ts';
import { phoneSchema } from '../auth/schemas.ts';
import { PAYMENT_METHODS, SELLER_ORDER_STATUSES } from '../db/schema.ts';

// Control characters other than line breaks and tabs are refused in free text.
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
// Length as people count it: an emoji or an accented letter is one character.
const segmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });
const characters = (v: string) => [...segmenter.segment(v)].length;

const text = (label: string, min: number, max: number) =>
  z
    .string({ error: `${label} must be text.` })
    .trim()
    .refine((v) => !CONTROL.test(v), `${label} holds characters that cannot be used.`)
    .refine((v) => characters(v) >= min, min > 1 ? `${label} needs at least ${min} characters.` : `Enter a ${label.toLowerCase()}.`)
    .refine((v) => characters(v) <= max, `${label} has at most ${max.toLocaleString('en-US')} characters.`);

export const quantitySchema = z
  .number({ error: 'Quantity must be a whole number.' })
  .int('Quantity must be a whole number.')
  .min(1, 'Quantity must be at least 1.')
  .max(1000, 'Quantity is at most 1,000.');

// A client may send prices or names with its lines; they are accepted and ignored (the
// database sets every price). Anything else unknown is refused.
const itemSchema = z.strictObject({
  productId: z.number({ error: 'Product id must be a number.' }).int('Product id must be a whole number.').positive('Unknown product.'),
  quantity: quantitySchema,
  price: z.unknown().optional(),
  name: z.unknown().optional(),
});

export const orderDetailsSchema = z.object({
  deliveryAddress: text('Delivery address', 5, 500),
  phone: phoneSchema.optional(),
  notes: text('Notes', 0, 1000).optional(),
  paymentMethod: z.enum(PAYMENT_METHODS, { error: 'The only payment method is cash_on_delivery.' }).default('cash_on_delivery'),
});

export const placeOrderSchema = z.strictObject({
  items: z
    .array(itemSchema, { error: 'Items must be a list of {productId, quantity}.' })
    .min(1, 'Add at least one product.')
    .max(100, 'An order holds at most 100 lines.'),
  ...orderDetailsSchema.shape,
  totalAmount: z.unknown().optional(),
});

export type PlaceOrderInput = z.infer<typeof placeOrderSchema>;

export const idempotencyKeySchema = z.string().trim().min(8, 'Idempotency-Key needs 8 to 200 characters.').max(200, 'Idempotency-Key needs 8 to 200 characters.');

export const statusSchema = z.strictObject({
  status: z.enum(SELLER_ORDER_STATUSES, { error: `Status must be one of ${SELLER_ORDER_STATUSES.join(', ')}.` }),
  reason: text('Reason', 0, 500).optional(),
});

export const pageSchema = z
  .object({
    // Keyset paging, newest first: `cursor` reads the orders older than that id, `before` the newer ones.
    cursor: z.coerce.number().int().positive('cursor must be a positive id.').optional(),
    before: z.coerce.number().int().positive('before must be a positive id.').optional(),
    limit: z.coerce.number().int().min(1, 'limit is 1 to 100.').max(100, 'limit is 1 to 100.').default(20),
    status: z.enum(SELLER_ORDER_STATUSES, { error: `status must be one of ${SELLER_ORDER_STATUSES.join(', ')}.` }).optional(),
  })
  .refine((q) => !(q.cursor && q.before), { path: ['before'], message: 'Give cursor or before, not both.' });
export type PageQuery = z.infer<typeof pageSchema>;

export const idParam = z.coerce.number({ error: 'Not found.' }).int().positive().max(Number.MAX_SAFE_INTEGER);

/** An id from the path: one that cannot exist is simply not found, like an order of someone else. */
export function pathId(raw: string | undefined): number {
  const id = idParam.safeParse(raw);
  if (!id.success) throw new NotFound('No such order.');
  return id.data;
}
