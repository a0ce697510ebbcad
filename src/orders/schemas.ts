import { z } from 'zod';
import { NotFound } from '../http/errors.ts';
import { phoneSchema } from '../auth/schemas.ts';
import { PAYMENT_METHODS, SELLER_ORDER_STATUSES } from '../db/schema.ts';
import { idSchema } from '../http/numbers.ts';
import { visibleText as text } from '../http/text.ts';
import { quantitySchema } from '../catalog/schemas.ts';

// A client may send prices or names with its lines; they are accepted and ignored (the
// database sets every price). Anything else unknown is refused.
const itemSchema = z.strictObject({
  productId: idSchema('int4', 'Unknown product: a product id is a whole number from 1 to 2147483647.', { fromText: false }),
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
    cursor: idSchema('int8', 'cursor must be an order id from a page link.').optional(),
    before: idSchema('int8', 'before must be an order id from a page link.').optional(),
    limit: z.coerce.number().int().min(1, 'limit is 1 to 100.').max(100, 'limit is 1 to 100.').default(20),
    status: z.enum(SELLER_ORDER_STATUSES, { error: `status must be one of ${SELLER_ORDER_STATUSES.join(', ')}.` }).optional(),
  })
  .refine((q) => !(q.cursor && q.before), { path: ['before'], message: 'Give cursor or before, not both.' });
export type PageQuery = z.infer<typeof pageSchema>;

export const idParam = idSchema('int8', 'Not found.');

/** An id from the path: one that cannot exist is simply not found, like an order of someone else. */
export function pathId(raw: string | undefined): number {
  const id = idParam.safeParse(raw);
  if (!id.success) throw new NotFound('No such order.');
  return id.data;
}
