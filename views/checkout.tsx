import type { Cart } from '../src/catalog/service.ts';
import { byStore } from './cart.tsx';
import { dateOnly, money } from './format.ts';
import { Field, FormError, firstInvalid, type Errors, type Values } from './forms.tsx';

export interface CheckoutProps {
  customer: { name: string; email: string; phone: string };
  cart: Cart;
  /** Where the customer's last order went: the address field starts with it. */
  lastAddress: string;
  currency: string;
  estimatedDelivery: Date;
  /** Made when the page renders, so that submitting this form twice places one order. */
  idempotencyKey: string;
  /** The cart's lines as this form shows them: checkout stops when they changed since. */
  cartShown: string;
  values?: Values;
  errors?: Errors;
  message?: string | null;
}

export const CheckoutPage = (props: CheckoutProps) => (
  <section class="checkout">
    <h1>Checkout</h1>
    {props.cart.lines.length ? (
      <CheckoutForm {...props} />
    ) : (
      <p>
        Your cart is empty. <a href="/">Browse the shop</a>.
      </p>
    )}
  </section>
);

const FIELDS = [['phone', 'Phone'], ['deliveryAddress', 'Delivery address'], ['notes', 'Notes']] as const;

/** The checkout form with its summary; htmx swaps it whole when the server finds errors. */
export function CheckoutForm({ customer, cart, cartShown, lastAddress, currency, estimatedDelivery, idempotencyKey, values, errors, message }: CheckoutProps) {
  const kept = { name: customer.name, email: customer.email, phone: customer.phone, deliveryAddress: lastAddress, ...values };
  const stockError = errors?.items;
  const unsellable = cart.lines.some((l) => l.problem) ? 'Some products in your cart can no longer be bought: change your cart first.' : null;
  const first = firstInvalid(errors, FIELDS);
  return (
    <form
      id="checkout-form"
      method="post"
      action="/checkout"
      hx-post="/checkout"
      hx-target="this"
      hx-swap="outerHTML"
      hx-disable="find button"
      novalidate
      class="checkout-form"
    >
      <FormError message={(stockError && stockError !== message ? `${message} ${stockError}` : message) ?? unsellable} errors={errors} fields={FIELDS} focus={Boolean(message)} />
      <input type="hidden" name="idempotencyKey" value={idempotencyKey} />
      <input type="hidden" name="cartShown" value={cartShown} />
      <div class="checkout-grid">
        <div class="card">
          <h2>Delivery</h2>
          <Field label="Name" name="name" readonly values={kept} hint="From your profile." />
          <Field label="Email" name="email" type="email" readonly values={kept} />
          <Field label="Phone" name="phone" type="tel" autocomplete="tel" required values={kept} errors={errors} autofocus={first === 'phone'} />
          <Field
            label="Delivery address"
            name="deliveryAddress"
            multiline
            required
            minlength={5}
            maxlength={500}
            autocomplete="street-address"
            hint={lastAddress ? 'Where your last order went; change it if this one goes elsewhere.' : undefined}
            values={kept}
            errors={errors}
            autofocus={first === 'deliveryAddress'}
          />
          <Field label="Notes" name="notes" multiline maxlength={1000} hint="Optional: anything the sellers should know." values={kept} errors={errors} autofocus={first === 'notes'} />
          <fieldset class="payment">
            <legend>Payment</legend>
            <label>
              <input type="radio" name="paymentMethod" value="cash_on_delivery" checked /> Cash on delivery
            </label>
            <p class="hint">The only payment method: you pay when your order arrives.</p>
          </fieldset>
        </div>
        <OrderSummary cart={cart} currency={currency} estimatedDelivery={estimatedDelivery} />
      </div>
      <button type="submit" class="place">Place order</button>
    </form>
  );
}

function OrderSummary({ cart, currency, estimatedDelivery }: Pick<CheckoutProps, 'cart' | 'currency' | 'estimatedDelivery'>) {
  return (
    <div class="card summary">
      <h2>Order summary</h2>
      {byStore(cart.lines).map((g) => (
        <div class="summary-store">
          <h3>{g.storeName}</h3>
          <ul>
            {g.lines.map((l) => (
              <li>
                <span>
                  {l.quantity} × {l.name}
                </span>
                <span class="num">{l.problem ? <span class="error">{l.problem}</span> : money(l.price * l.quantity, currency)}</span>
              </li>
            ))}
          </ul>
          <p class="subtotal">
            {g.storeName} subtotal <strong>{money(g.subtotal, currency)}</strong>
          </p>
        </div>
      ))}
      <p class="total">
        Total <strong>{money(cart.total, currency)}</strong>
      </p>
      <p>
        Estimated delivery: <strong>{dateOnly(estimatedDelivery)}</strong>
      </p>
      <p class="muted">
        <a href="/cart">Change your cart</a>
      </p>
    </div>
  );
}
