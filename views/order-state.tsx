import type { Status } from '../src/db/schema.ts';
import type { Progress } from '../src/orders/status.ts';
import { money } from './format.ts';
import { STATUS_LABEL, StatusBadge } from './timeline.tsx';

/** "1 of 2 stores delivered, 1 cancelled": how far a split order's parts have come. */
export function progressText(p: Progress) {
  const [first, ...rest] = p.others;
  const head = `${first!.count} of ${p.of} stores ${STATUS_LABEL[first!.status].toLowerCase()}`;
  return [head, ...rest.map((o) => `${o.count} ${STATUS_LABEL[o.status].toLowerCase()}`)].join(', ');
}

/** An order's status, with its progress where its stores' parts differ ("Pending · 1 of 2 stores delivered"). */
export const OrderStatusText = ({ status, progress }: { status: Status; progress: Progress | null }) => (
  <span class="order-state">
    <StatusBadge status={status} />
    {progress && <span class="progress"> · {progressText(progress)}</span>}
  </span>
);

/**
 * What the customer pays, in a list: the amount due, with the original total beside it once a
 * store cancelled its part, and "Nothing to pay" when every part is cancelled.
 */
export const DueAmount = ({ totalAmount, amountDue, currency }: { totalAmount: number; amountDue: number; currency: string }) => (
  <>
    {amountDue ? money(amountDue, currency) : 'Nothing to pay'}
    {amountDue !== totalAmount && (
      <span class="muted was">
        {' '}
        (ordered <s>{money(totalAmount, currency)}</s>)
      </span>
    )}
  </>
);
