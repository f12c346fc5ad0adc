/**
 * NotificationSweep: link codes sent to the bot, then the audit events every link has not seen
 * as notifications, then each delivery in turn (Telegram allows about one message a second per
 * chat; a sweep sends a handful). Started by `qs notify sweep` or a schedule.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { NotificationActivities } from '../activities/notifications';
import type { DeliveryOutcome, NotificationSweepResult } from '../contracts/notifications';

const notifier = proxyActivities<NotificationActivities>({
  startToCloseTimeout: '45 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 6 },
});

export async function notificationSweep(): Promise<NotificationSweepResult> {
  const polled = await notifier.pollTelegramUpdates();
  const queued = await notifier.queueNotifications();
  const outcomes: Partial<Record<DeliveryOutcome, number>> = {};
  for (const ref of queued) {
    const outcome = await notifier.deliverNotification(ref);
    outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
  }
  return { ...polled, queued: queued.length, outcomes };
}
