/**
 * Venue statuses (Kite's vocabulary, which the paper broker speaks too) mapped onto the domain
 * order state machine. Anything in flight at the venue (received, validation/open/modify
 * pending, AMO) is SUBMITTED: the venue has it but has not confirmed it working.
 */
import type { OrderStatus } from '../domain/orders';

export function mapVenueStatus(status: string, filledQuantity: number, quantity: number): OrderStatus {
  const s = status.trim().toUpperCase();
  switch (s) {
    case 'COMPLETE':
      return 'FILLED';
    case 'REJECTED':
      return 'REJECTED';
    case 'CANCELLED':
      return filledQuantity >= quantity && quantity > 0 ? 'FILLED' : 'CANCELED';
    case 'OPEN':
    case 'TRIGGER PENDING':
    case 'MODIFIED':
      return filledQuantity >= quantity ? 'FILLED' : filledQuantity > 0 ? 'PARTIALLY_FILLED' : 'ACCEPTED';
    case 'CANCEL PENDING':
      return 'PENDING_CANCEL';
    case 'MODIFY PENDING':
    case 'MODIFY VALIDATION PENDING':
      return 'PENDING_UPDATE';
    default:
      // PUT ORDER REQ RECEIVED, VALIDATION PENDING, OPEN PENDING, AMO REQ RECEIVED, …
      return 'SUBMITTED';
  }
}
