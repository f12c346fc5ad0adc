/** The NotificationSweep workflow's vocabulary (Telegram notifications). */

/** One notification row of a tenant. */
export interface NotificationRef {
  readonly tenantId: number;
  readonly id: number;
}

/** What a delivery did: a refused chat, a permanent Telegram refusal, or a send it cannot confirm. */
export type DeliveryOutcome = 'sent' | 'refused' | 'failed' | 'unconfirmed' | 'in_flight';

export interface UpdatesPolled {
  /** False when no bot is configured (`qs notify setup`): nothing polled. */
  configured: boolean;
  updates: number;
  linked: number;
  refused: number;
  ignored: number;
}

export interface NotificationSweepResult extends UpdatesPolled {
  readonly queued: number;
  readonly outcomes: Partial<Record<DeliveryOutcome, number>>;
}

/** A sweep's workflow id: one per minute, so a schedule and a manual sweep do not pile up. */
export const notificationSweepId = (at: Date): string => `notification-sweep/${at.toISOString().slice(0, 16)}`;
