import type { Child } from 'hono/jsx';
import type { Product, Store } from '../src/catalog/service.ts';
import { money } from './format.ts';
import { CartCount } from './layout.tsx';

/** Few enough units that the customer should know. */
const LOW_STOCK = 5;

export const StockLabel = ({ stock }: { stock: number }) =>
  stock === 0 ? <span class="stock out">Sold out</span> : stock <= LOW_STOCK ? <span class="stock low">Only {stock} left</span> : <span class="stock">In stock</span>;

/** Who is looking decides what a product card offers: a customer buys, a visitor signs in first. */
export type Shopper = 'customer' | 'visitor' | 'staff';

interface CatalogProps {
  products: Product[];
  stores: Store[];
  storeId?: number;
  shopper: Shopper;
  currency: string;
}

export const CatalogPage = ({ products, stores, storeId, shopper, currency }: CatalogProps) => {
  const here = storeId ? `/?store=${storeId}` : '/';
  return (
    <section class="catalog">
      <h1>Shop</h1>
      <form method="get" action="/" class="store-filter">
        <label for="f-store">Store</label>
        <select id="f-store" name="store">
          <option value="">All stores</option>
          {stores.map((s) => (
            <option value={String(s.id)} selected={s.id === storeId}>
              {s.name}
            </option>
          ))}
        </select>
        <button type="submit" class="secondary">Show</button>
      </form>
      {products.length ? (
        <ul class="products">
          {products.map((p) => (
            <ProductCard product={p} shopper={shopper} currency={currency} back={here} />
          ))}
        </ul>
      ) : (
        <p>No products to show.</p>
      )}
    </section>
  );
};

function ProductCard({ product: p, shopper, currency, back }: { product: Product; shopper: Shopper; currency: string; back: string }) {
  const nameId = `product-${p.id}`;
  return (
    <li class="product card" aria-labelledby={nameId}>
      <h2 id={nameId}>{p.name}</h2>
      <p class="store muted">{p.seller.name}</p>
      {p.description && <p>{p.description}</p>}
      <p class="price">{money(p.price, currency)}</p>
      <StockLabel stock={p.stock} />
      {shopper === 'customer' && (
        <form method="post" action="/cart" hx-post="/cart" hx-target={`#added-${p.id}`} hx-swap="innerHTML" class="add">
          <input type="hidden" name="productId" value={String(p.id)} />
          <input type="hidden" name="next" value={back} />
          <button type="submit" disabled={p.stock === 0} aria-describedby={nameId}>
            Add to cart
          </button>
          <p id={`added-${p.id}`} class="added" role="status"></p>
        </form>
      )}
      {shopper === 'visitor' && (
        <p>
          <a href="/login">Sign in to buy</a>
        </p>
      )}
    </li>
  );
}

/**
 * What an htmx cart change sends back: its message for the place the request targets, and the
 * nav's cart count swapped in place.
 */
export const CartUpdate = ({ count, children }: { count: number; children: Child }) => (
  <>
    {children}
    <hx-partial hx-target="#cart-count" hx-swap="outerHTML">
      <CartCount count={count} />
    </hx-partial>
  </>
);

/** A cart message on its own page, for a browser without JavaScript that could not add a product. */
export const CartMessagePage = ({ message }: { message: string }) => (
  <section class="card narrow">
    <h1>Your cart was not changed</h1>
    <p>{message}</p>
    <p>
      <a href="/">Back to the shop</a> · <a href="/cart">Your cart</a>
    </p>
  </section>
);
