/**
 * Typed broker errors. The one distinction that matters for money: did the broker definitely
 * NOT act (rejected, refused, unavailable before sending: safe to decide or retry), or might it
 * have acted (ambiguous: look the order up by its tag before doing anything else)?
 */
export type BrokerErrorKind = 'rejected' | 'ambiguous' | 'unavailable' | 'not_found' | 'auth' | 'dry_run_refused';

export abstract class BrokerError extends Error {
  abstract readonly kind: BrokerErrorKind;
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The broker definitely did not accept the request (validation, margin, order not open…). */
export class OrderRejectedError extends BrokerError {
  readonly kind = 'rejected' as const;
}

/** A cancel or modify refused because the order is no longer open (filled, cancelled, rejected). */
export class OrderNotOpenError extends OrderRejectedError {}

/** The request may or may not have taken effect (timeout, dropped connection, 5xx, "timed out"). */
export class AmbiguousOutcomeError extends BrokerError {
  readonly kind = 'ambiguous' as const;
}

/** Definitely not processed (connection refused, rate limited): safe to retry as is. */
export class BrokerUnavailableError extends BrokerError {
  readonly kind = 'unavailable' as const;
}

/**
 * A cancel or modify refused for now because the venue is still processing the order (Kite:
 * "cannot be cancelled/modified as it is being processed"): nothing changed, and the same
 * request succeeds a moment later. Not "no longer open": the order may still be working.
 */
export class OrderBusyError extends BrokerUnavailableError {}

export class OrderNotFoundError extends BrokerError {
  readonly kind = 'not_found' as const;
}

/** Credentials missing, expired or refused (Kite TokenException): no retry helps. */
export class BrokerAuthError extends BrokerError {
  readonly kind = 'auth' as const;
}

/**
 * The broker session is gone (Kite's access token expired at 06:00 IST, or was invalidated):
 * nothing was sent, and nothing will be until the tenant logs in again (`qs broker kite
 * login-url` / `session`). A state of the account, not a verdict on any order.
 */
export class BrokerReloginRequiredError extends BrokerAuthError {}

/** The dry-run lock refused to send an order to a real broker. */
export class DryRunRefusedError extends BrokerError {
  readonly kind = 'dry_run_refused' as const;
}

export function isBrokerError(e: unknown): e is BrokerError {
  return e instanceof BrokerError;
}
