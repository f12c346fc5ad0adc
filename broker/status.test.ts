import { kiteTime } from './kite/kite-broker';
import { mapVenueStatus } from './status';

describe('venue statuses onto the domain order state machine', () => {
  it.each([
    ['COMPLETE', 65, 65, 'FILLED'],
    ['OPEN', 0, 65, 'ACCEPTED'],
    ['OPEN', 30, 65, 'PARTIALLY_FILLED'],
    ['CANCELLED', 30, 65, 'CANCELED'],
    ['REJECTED', 0, 65, 'REJECTED'],
    ['CANCEL PENDING', 0, 65, 'PENDING_CANCEL'],
    ['MODIFY PENDING', 0, 65, 'PENDING_UPDATE'],
    ['PUT ORDER REQ RECEIVED', 0, 65, 'SUBMITTED'],
    ['VALIDATION PENDING', 0, 65, 'SUBMITTED'],
    ['TRIGGER PENDING', 0, 65, 'ACCEPTED'],
  ] as const)('%s (%i/%i) → %s', (status, filled, qty, expected) => {
    expect(mapVenueStatus(status, filled, qty)).toBe(expected);
  });

  it('reads Kite timestamps as IST', () => {
    expect(kiteTime('2026-05-06 09:15:00')).toBe('2026-05-06T03:45:00.000Z');
    expect(kiteTime(null)).toBeNull();
    expect(kiteTime('garbage')).toBeNull();
  });
});
