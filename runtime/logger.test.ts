import { Writable } from 'node:stream';
import pino from 'pino';
import { FailureStreak } from './logger';

function captured() {
  const lines: Array<{ level: number; msg: string; failures?: number; failingForMs?: number; failedForMs?: number }> =
    [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(JSON.parse(chunk.toString()));
      done();
    },
  });
  return { log: pino({ level: 'info' }, sink), lines };
}

describe('FailureStreak', () => {
  it('logs the first failure, then one line per interval, then the recovery; a new streak starts over', async () => {
    const { log, lines } = captured();
    let t = 0;
    const streak = new FailureStreak(log, 'event delivery', 30_000, () => t);
    for (; t <= 65_000; t += 1_000) streak.failed(new Error('connection refused'));
    t = 70_000;
    streak.succeeded();
    streak.succeeded(); // nothing to say twice
    streak.failed(new Error('again'));
    await new Promise((r) => setImmediate(r));
    expect(lines.map((l) => l.msg)).toEqual([
      'event delivery failed',
      'event delivery still failing',
      'event delivery still failing',
      'event delivery works again',
      'event delivery failed',
    ]);
    expect(lines[1]).toMatchObject({ failures: 31, failingForMs: 30_000 });
    expect(lines[2]).toMatchObject({ failures: 61, failingForMs: 60_000 });
    expect(lines[3]).toMatchObject({ failures: 66, failedForMs: 70_000 });
  });
});
