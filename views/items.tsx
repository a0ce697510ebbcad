import type { LineItem } from '../src/orders/queries.ts';
import { count, money } from './format.ts';

/** The lines of one store's part of an order, as sold, with the part's subtotal. */
export const ItemsTable = ({ items, subtotal, subtotalLabel, currency }: { items: LineItem[]; subtotal: number; subtotalLabel: string; currency: string }) => (
  <table class="items stack">
    <thead>
      <tr>
        <th scope="col">Item</th>
        <th scope="col" class="num">Qty</th>
        <th scope="col" class="num">Price</th>
        <th scope="col" class="num">Subtotal</th>
      </tr>
    </thead>
    <tbody>
      {items.map((i) => (
        <tr>
          <td data-label="Item">{i.name}</td>
          <td class="num" data-label="Qty">{count(i.quantity)}</td>
          <td class="num" data-label="Price">{money(i.price, currency)}</td>
          <td class="num" data-label="Subtotal">{money(i.subtotal, currency)}</td>
        </tr>
      ))}
    </tbody>
    <tfoot>
      <tr>
        <th scope="row" colspan={3}>
          {subtotalLabel}
        </th>
        <td class="num">{money(subtotal, currency)}</td>
      </tr>
    </tfoot>
  </table>
);
