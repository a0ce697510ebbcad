import type { Role, Status } from '../db/schema.ts';

/** Who acts on a seller order: the customer who owns it, the seller of that part, an admin. */
export type Actor = 'customer' | 'seller' | 'admin';

/** The whole status machine: each allowed transition and who may make it. */
export const TRANSITIONS: Record<string, readonly Actor[]> = {
  'pending->confirmed': ['seller', 'admin'],
  'confirmed->shipped': ['seller', 'admin'],
  'shipped->delivered': ['seller', 'admin'],
  'pending->cancelled': ['customer', 'seller', 'admin'],
  'confirmed->cancelled': ['seller', 'admin'],
};

const RANK: Record<Status, number> = { pending: 0, confirmed: 1, shipped: 2, delivered: 3, cancelled: 4 };

export const actorOf = (role: Role): Actor => role;

/** Why a transition is refused, in words for the person who tried it; null when it is allowed. */
export function refusal(from: Status, to: Status, actor: Actor): string | null {
  const allowedActors = TRANSITIONS[`${from}->${to}`];
  if (allowedActors?.includes(actor)) return null;
  if (from === to) return `This order is already ${from}.`;
  if (allowedActors) return actor === 'customer' ? 'Once the seller has confirmed an order, only the seller can cancel it.' : 'You are not allowed to make this change.';
  if (to === 'cancelled') return `A ${from} order can no longer be cancelled.`;
  if (from === 'cancelled') return 'A cancelled order cannot change any more.';
  if (from === 'delivered') return 'A delivered order cannot change any more.';
  if (RANK[to] < RANK[from]) return `A ${from} order cannot go back to ${to}.`;
  return `A ${from} order cannot be marked ${to}; it must be ${nextOf(from)} first.`;
}

/** The next step forward from a status, if any. */
export function nextOf(status: Status): Status | null {
  return ({ pending: 'confirmed', confirmed: 'shipped', shipped: 'delivered' } as const)[status as 'pending'] ?? null;
}

/** Transitions an actor may make now, for the buttons a page shows. */
export const allowedFrom = (from: Status, actor: Actor): Status[] =>
  Object.entries(TRANSITIONS)
    .filter(([key, actors]) => key.startsWith(`${from}->`) && actors.includes(actor))
    .map(([key]) => key.split('->')[1] as Status);

/**
 * Why the customer may not cancel their order now, or null when they may: they cancel what is
 * left of it while all of that is pending; parts a store already cancelled stay as they are.
 * The order page offers the button by the same rule that `changeStatus` applies.
 */
export function customerCancelRefusal(parts: readonly Pick<PartState, 'status'>[]): string | null {
  const left = parts.filter((p) => p.status !== 'cancelled');
  if (!left.length) return 'This order is already cancelled.';
  const acted = left.find((p) => p.status !== 'pending');
  return acted ? refusal(acted.status, 'cancelled', 'customer') : null;
}

/** An order's status: cancelled when every part is; otherwise its least advanced live part. */
export function deriveStatus(parts: readonly Status[]): Status {
  const live = parts.filter((s) => s !== 'cancelled');
  if (!live.length) return 'cancelled';
  return live.reduce((a, b) => (RANK[b] < RANK[a] ? b : a));
}

/** One store's part as lists and headers summarise it. */
export interface PartState {
  storeName: string;
  status: Status;
  subtotal: number;
}

/**
 * How far a split order has come when its parts differ: how many of its parts are in each status
 * other than the order's own, most advanced first ("1 of 2 stores delivered"). Null when every
 * part agrees, so the order's status says it all.
 */
export interface Progress {
  of: number;
  others: { status: Status; count: number }[];
}

export function progressOf(parts: readonly Pick<PartState, 'status'>[]): Progress | null {
  const status = deriveStatus(parts.map((p) => p.status));
  const counts = new Map<Status, number>();
  for (const p of parts) if (p.status !== status) counts.set(p.status, (counts.get(p.status) ?? 0) + 1);
  if (!counts.size) return null;
  // Cancelled parts last: they are what did not happen, after what did.
  const others = [...counts].map(([s, count]) => ({ status: s, count })).sort((a, b) => (a.status === 'cancelled' ? 1 : b.status === 'cancelled' ? -1 : RANK[b.status] - RANK[a.status]));
  return { of: parts.length, others };
}

/** What the customer pays on delivery: the parts that are not cancelled (minor units). */
export const amountDue = (parts: readonly Pick<PartState, 'status' | 'subtotal'>[]) =>
  parts.reduce((sum, p) => (p.status === 'cancelled' ? sum : sum + p.subtotal), 0);
