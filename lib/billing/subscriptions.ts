// One Stripe subscription's state, folded from its events in `created` order, so any arrival order ends the same.

/**
 * Where an event sits in a subscription's life: Stripe's `created` (whole seconds), then, for events of the
 * same second, the order a subscription's events are made in, then the event id (any fixed tie-break will do:
 * it only has to be the same whichever delivery comes first).
 */
export interface EventOrder {
  created: number;
  rank: number;
  eventId: string;
}

/** What the billing events say about one subscription. The one fact the plan is computed from. */
export interface SubscriptionState {
  /** The user it was bought for: set by the first qualifying checkout, never changed after. */
  user: string | null;
  /** Grants pro (Stripe status active, trialing or past_due; or a paid checkout). */
  active: boolean;
  /** Cancelled or expired: final, whatever arrives later (Stripe never revives a cancelled subscription). */
  ended: boolean;
  /** Stripe's status as last known (`active`, `trialing`, `canceled`, …) or `paid` / `pending` from a checkout. */
  status: string;
  /** The latest event the status was taken from; null while only a checkout's user link is known. */
  order: EventOrder | null;
}

/** What one event says: the user it names (checkouts only) and, unless `status` is null, the status then. */
export interface SubscriptionEvent {
  order: EventOrder;
  user: string | null;
  status: string | null;
}

/** Event types in the order Stripe makes them for one subscription (ties within a second are broken by this). */
export const EVENT_RANK: Record<string, number> = {
  "customer.subscription.created": 0,
  "checkout.session.completed": 1,
  "checkout.session.async_payment_succeeded": 2,
  "customer.subscription.updated": 3,
  "customer.subscription.deleted": 4,
};

/**
 * Stripe statuses that keep pro. `past_due` does: Stripe is still retrying the payment and ends the
 * subscription (canceled or unpaid) when its retries run out; cutting a payer off at the first failed retry
 * would punish a card that is about to be updated. `paid` is a checkout whose payment went through.
 */
const ACTIVE_STATUSES = new Set(["active", "trialing", "past_due", "paid"]);
const FINAL_STATUSES = new Set(["canceled", "incomplete_expired"]);

export const EMPTY_SUBSCRIPTION: SubscriptionState = {
  user: null,
  active: false,
  ended: false,
  status: "unknown",
  order: null,
};

function isLater(a: EventOrder, b: EventOrder | null): boolean {
  if (!b) return true;
  if (a.created !== b.created) return a.created > b.created;
  if (a.rank !== b.rank) return a.rank > b.rank;
  return a.eventId > b.eventId;
}

/**
 * The state after `event`. An end (deletion, `canceled`, `incomplete_expired`) is final whenever it arrives;
 * otherwise the status is the one of the latest event by EventOrder, so an older event that arrives late
 * changes nothing. Both rules commute: every arrival order of the same events ends in the same state.
 */
export function nextSubscriptionState(
  previous: SubscriptionState | null,
  event: SubscriptionEvent,
): SubscriptionState {
  const state = previous ?? EMPTY_SUBSCRIPTION;
  const user = state.user ?? event.user;
  if (event.status === null) return { ...state, user };
  const ends = FINAL_STATUSES.has(event.status);
  // An ended subscription only takes a later end (so even its recorded status is order-independent).
  const takes = state.ended
    ? ends && isLater(event.order, state.order)
    : ends || isLater(event.order, state.order);
  if (!takes) return { ...state, user };
  return {
    user,
    active: !ends && ACTIVE_STATUSES.has(event.status),
    ended: ends,
    status: event.status,
    order: event.order,
  };
}

/** Whether the event changed what is known of the subscription (its owner or status, not just when it was said). */
export function sameState(a: SubscriptionState | null, b: SubscriptionState): boolean {
  const { order: _a, ...before } = a ?? EMPTY_SUBSCRIPTION;
  const { order: _b, ...after } = b;
  return JSON.stringify(before) === JSON.stringify(after);
}
