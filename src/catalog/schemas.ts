import { z } from 'zod';
import { idSchema } from '../http/numbers.ts';

/** How many of a product a cart line or an order line holds. */
export const quantitySchema = z
  .number({ error: 'Quantity must be a whole number.' })
  .int('Quantity must be a whole number.')
  .min(1, 'Quantity must be at least 1.')
  .max(1000, 'Quantity is at most 1,000.');

const id = (what: string) => idSchema('int4', `Unknown ${what}.`);

/** Form fields arrive as text: numbers are read from it, blank means "not given". */
const formQuantity = z.preprocess((v) => (v === '' || v === undefined ? undefined : Number(v)), quantitySchema);

export const catalogQuerySchema = z.object({
  store: z.preprocess((v) => (v === '' ? undefined : v), id('store').optional()),
});

export const addToCartSchema = z.object({
  productId: id('product'),
  quantity: formQuantity.default(1),
});
export type AddToCart = z.infer<typeof addToCartSchema>;

export const cartQuantitySchema = z.object({ quantity: formQuantity });

export const productParam = id('product');
