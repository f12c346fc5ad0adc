/**
 * TwapExecution on the paper broker (real Temporal, real Postgres): slices go out as child
 * OrderPlacements `<decision>-s<k>` at the scheduled times; the cancel update skips the slices
 * not yet started; bad input fails the run naming the field.
 */
import type { Client } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import { executeWorkflow, startWorkflow } from '../../runtime/workflow-client';
import {
  cancelTwapUpdate,
  twapProgressQuery,
  twapWorkflowId,
  type TwapInput,
  type TwapResult,
} from '../../contracts/execution';
import { TASK_QUEUES } from '../../contracts/task-queues';
import { testClient, testPool } from '../support/env';
import { FAST, orderWorkers, paperTenant, placementInput } from '../support/orders-env';
import { maybeRecordHistory } from '../support/record-history';
import type { PaperFaults } from '../../broker/paper/faults';
import { until } from '../support/until';

const pool = testPool('app');
const workers = orderWorkers(pool);
let client: Client;

beforeAll(async () => {
  client = await testClient();
});

async function twapInput(lots: number, slices: number, windowMs: number, faults: PaperFaults = {}): Promise<TwapInput> {
  const tenantId = await paperTenant(pool, faults);
  const p = await placementInput(pool, tenantId, 'BULL_PUT_SPREAD', lots, FAST, `twap-${randomUUID().slice(0, 8)}`);
  return { ...p, slices, windowMs };
}

const start = (input: TwapInput) =>
  startWorkflow(client, 'twapExecution', {
    taskQueue: TASK_QUEUES.trading,
    workflowId: twapWorkflowId(input.tenantId, input.decisionId),
    args: [input],
    workflowExecutionTimeout: '3 minutes',
  });

describe('TwapExecution', () => {
  it('places each slice as a child OrderPlacement <decision>-s<k> at its scheduled time', async () => {
    const input = await twapInput(3, 3, 3_000);
    const result: TwapResult = await workers.run(async () => (await start(input)).result());
    expect(result.status).toBe('completed');
    expect(result.lotsFilled).toBe(3);
    expect(result.slices.map((s) => [s.decisionId, s.lots, s.status])).toEqual([
      [`${input.decisionId}-s0`, 1, 'filled'],
      [`${input.decisionId}-s1`, 1, 'filled'],
      [`${input.decisionId}-s2`, 1, 'filled'],
    ]);
    const scheduled = result.slices.map((s) => Date.parse(s.scheduledAt));
    expect(scheduled[1]! - scheduled[0]!).toBe(1_000);
    expect(scheduled[2]! - scheduled[0]!).toBe(2_000);
    for (const s of result.slices) {
      // The child really started then (the server's start time), not merely when the TWAP says so.
      const child = await client.workflow.getHandle(s.workflowId).describe();
      const late = child.startTime.getTime() - Date.parse(s.scheduledAt);
      expect(late).toBeGreaterThanOrEqual(-100);
      expect(late).toBeLessThan(2_500);
      expect(child.type).toBe('orderPlacement');
    }
    await maybeRecordHistory(client, twapWorkflowId(input.tenantId, input.decisionId), 'twap-execution-completed');
  });

  it('the cancel update skips the slices not yet started; the one in flight finishes', async () => {
    const input = await twapInput(3, 3, 60_000);
    const result = await workers.run(async () => {
      const handle = await start(input);
      await until('slice 0 started', async () => (await handle.query(twapProgressQuery)).started === 1);
      // The validator refuses before anything is written to history.
      await expect(handle.executeUpdate(cancelTwapUpdate, { args: [{ reason: ' ' }] })).rejects.toMatchObject({
        cause: { message: 'reason: required' },
      });
      const progress = await handle.executeUpdate(cancelTwapUpdate, { args: [{ reason: 'operator stop' }] });
      expect(progress).toMatchObject({ cancelled: true, started: 1, total: 3 });
      return handle.result();
    });
    expect(result.status).toBe('cancelled');
    expect(result.reason).toBe('cancelled: operator stop');
    expect(result.slices.map((s) => s.status)).toEqual(['filled', 'skipped', 'skipped']);
    expect(result.lotsFilled).toBe(1);
    for (const s of result.slices.slice(1)) {
      expect(s.startedAt).toBeNull();
      await expect(client.workflow.getHandle(s.workflowId).describe()).rejects.toThrow(/not found/i);
    }
    await maybeRecordHistory(client, twapWorkflowId(input.tenantId, input.decisionId), 'twap-execution-cancelled');
  });

  it('stops when a slice does not fill: no later slice is sent', async () => {
    const input = await twapInput(3, 3, 3_000, { rules: [{ action: 'reject', purpose: 'E', message: 'margin' }] });
    const result = await workers.run(async () => (await start(input)).result());
    expect(result.status).toBe('stopped');
    expect(result.reason).toMatch(/^slice 0 rejected: /);
    expect(result.slices.map((s) => s.status)).toEqual(['rejected', 'skipped', 'skipped']);
    expect(result.lotsFilled).toBe(0);
    await maybeRecordHistory(client, twapWorkflowId(input.tenantId, input.decisionId), 'twap-execution-stopped');
  });

  it('fails a run with bad input, naming the field', async () => {
    const input = await twapInput(2, 5, 1_000);
    await expect(
      workers.run(() =>
        executeWorkflow(client, 'twapExecution', {
          taskQueue: TASK_QUEUES.trading,
          workflowId: twapWorkflowId(input.tenantId, input.decisionId),
          args: [input],
          workflowExecutionTimeout: '1 minute',
        }),
      ),
    ).rejects.toMatchObject({ cause: { message: expect.stringMatching(/TWAP input: 2 lots cannot make 5 slices/) } });
  });
});
