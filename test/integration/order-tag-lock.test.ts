/**
 * The order tag lock under a burst larger than its pool. A holder keeps its lock's connection
 * while its broker calls need more; were every connection a lock's, every holder would wait for
 * one none of them gives back, and all of them would fail at the pool's connect timeout (what a
 * broker worker with more activity slots than its pool serves did under a backlog). The lock
 * admits as many holders as the pool can serve; the others wait their turn through `wait`
 * (which heartbeats in an activity). Real Postgres.
 */
import { randomUUID } from 'node:crypto';
import { createPool } from '../../db/client';
import { lockHolderLimit, withOrderTagLock } from '../../db/ledger';
import { testEnv } from '../support/env';

const pause = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const pool = createPool(testEnv().appUrl, { max: 4, connectionTimeoutMillis: 3_000 });
afterAll(() => pool.end());

describe('order tag lock', () => {
  it('serves 12 holders on a 4-connection pool, each reading two things at once while it holds its lock', async () => {
    const run = randomUUID().slice(0, 8);
    let waits = 0;
    let holding = 0;
    let most = 0;
    const sums = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        withOrderTagLock(
          pool,
          1,
          `burst-${run}-${i}`,
          async () => {
            waits++;
            await pause(20);
          },
          async () => {
            most = Math.max(most, ++holding);
            try {
              const [a, b] = await Promise.all([
                pool.query<{ n: number }>('SELECT 1 AS n FROM pg_sleep(0.05)'),
                pool.query<{ n: number }>('SELECT 2 AS n'),
              ]);
              return a.rows[0]!.n + b.rows[0]!.n;
            } finally {
              holding--;
            }
          },
        ),
      ),
    );
    expect(sums).toEqual(Array(12).fill(3));
    expect(lockHolderLimit(pool)).toBe(1);
    expect(most).toBe(1);
    expect(waits).toBeGreaterThan(0);
  });

  it('still holds one tag for one holder at a time, across pools', async () => {
    const other = createPool(testEnv().appUrl, { max: 3 });
    const tag = `shared-${randomUUID().slice(0, 8)}`;
    const order: string[] = [];
    try {
      const first = withOrderTagLock(
        pool,
        1,
        tag,
        () => pause(20),
        async () => {
          order.push('a in');
          await pause(300);
          order.push('a out');
        },
      );
      await pause(50);
      await withOrderTagLock(
        other,
        1,
        tag,
        () => pause(20),
        async () => void order.push('b'),
      );
      await first;
    } finally {
      await other.end();
    }
    expect(order).toEqual(['a in', 'a out', 'b']);
  });
});
