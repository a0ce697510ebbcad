import type { Cart, CartLine } from '../src/catalog/service.ts';
import { money } from './format.ts';

export interface StoreGroup {
  storeId: number;
  storeName: string;
  lines: CartLine[];
  subtotal: number;
}

/** Cart lines grouped by store, as the order will be split, with each store's subtotal. */
export function byStore(lines: CartLine[]): StoreGroup[] {
  const groups = new Map<number, StoreGroup>();
  for (const l of lines) {
    const g = groups.get(l.storeId) ?? { storeId: l.storeId, storeName: l.storeName, lines: [], subtotal: 0 };
    g.lines.push(l);
    if (!l.problem) g.subtotal += l.price * l.quantity;
    groups.set(l.storeId, g);
  }
  return [...groups.values()];
}

interface CartProps {
  cart: Cart;
  currency: string;
  /** What the last change did, or why it was refused. */
  message?: string | null;
}

/** The whole cart; htmx swaps it in place after each change (hence the id). */
export function CartSection({ cart, currency, message }: CartProps) {
  const notes = [message, ...cart.lowered].filter(Boolean);
  const blocked = cart.lines.some((l) => l.problem);
  return (
    <section id="cart" aria-labelledby="cart-title">
      <h1 id="cart-title">Your cart</h1>
      <div class="cart-messages" role="status">
        {notes.map((n) => (
          <p class="flash">{n}</p>
        ))}
      </div>
      {cart.lines.length === 0 ? (
        <p>
          Your cart is empty. <a href="/">Browse the shop</a>.
        </p>
      ) : (
        <>
          {byStore(cart.lines).map((g) => (
            <StoreLines group={g} currency={currency} />
          ))}
          <p class="total">
            Total <strong>{money(cart.total, currency)}</strong>
          </p>
          {blocked ? (
            <p class="form-error">Remove the products marked above to check out.</p>
          ) : (
            <p>
              <a class="button" href="/checkout">
                Go to checkout
              </a>
            </p>
          )}
        </>
      )}
    </section>
  );
}

const swap = { 'hx-target': '#cart', 'hx-swap': 'outerHTML' };

function StoreLines({ group, currency }: { group: StoreGroup; currency: string }) {
  return (
    <div class="card">
      <h2>{group.storeName}</h2>
      <table class="stack">
        <thead>
          <tr>
            <th scope="col">Product</th>
            <th scope="col" class="num">Price</th>
            <th scope="col">Quantity</th>
            <th scope="col" class="num">Subtotal</th>
            <th scope="col"><span class="visually-hidden">Actions</span></th>
          </tr>
        </thead>
        <tbody>
          {group.lines.map((l) => (
            <tr class={l.problem ? 'problem' : undefined}>
              <td data-label="Product">
                {l.name}
                {l.problem && <p class="error">{l.problem}</p>}
              </td>
              <td class="num" data-label="Price">{money(l.price, currency)}</td>
              <td data-label="Quantity">
                {!l.problem && (
                  <form method="post" action={`/cart/${l.productId}`} hx-post={`/cart/${l.productId}`} {...swap} class="qty">
                    <label class="visually-hidden" for={`qty-${l.productId}`}>
                      Quantity of {l.name}
                    </label>
                    <input id={`qty-${l.productId}`} name="quantity" type="number" min="1" max={String(l.stock)} value={String(l.quantity)} />
                    <button type="submit" class="secondary">Update</button>
                  </form>
                )}
                {l.problem && l.quantity}
              </td>
              <td class="num" data-label="Subtotal">{l.problem ? '—' : money(l.price * l.quantity, currency)}</td>
              <td>
                <form method="post" action={`/cart/${l.productId}/remove`} hx-post={`/cart/${l.productId}/remove`} {...swap}>
                  <button type="submit" class="danger" aria-label={`Remove ${l.name}`}>
                    Remove
                  </button>
                </form>
              </td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row" colspan={3}>
              {group.storeName} subtotal
            </th>
            <td class="num">{money(group.subtotal, currency)}</td>
            <td></td>
          </tr>
        </tfoot>
      </table>
    </div>
  );
}
