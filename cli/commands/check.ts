import { executeWorkflow } from '../../runtime/workflow-client';
import { randomUUID } from 'node:crypto';
import { printText } from '../output';
import { Command } from 'commander';
import { withTemporal } from '../context';
import { TASK_QUEUES } from '../../contracts/task-queues';

export function register(program: Command): void {
  program
    .command('check')
    .description('run a SystemCheck workflow (worker → activity → Postgres → result) and print the round trip')
    .option('--json', 'machine-readable output')
    .action(async (opts: { json?: boolean }) => {
      await withTemporal(async (client) => {
        const checkId = randomUUID();
        const started = process.hrtime.bigint();
        const result = await executeWorkflow(client, 'systemCheck', {
          taskQueue: TASK_QUEUES.trading,
          workflowId: `system-check/${checkId}`,
          args: [{ checkId }],
          workflowExecutionTimeout: '2 minutes',
        });
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        if (opts.json) console.log(JSON.stringify({ ...result, roundTripMs: ms }));
        else
          printText(
            `SystemCheck ok in ${ms.toFixed(1)} ms: workflow ${result.workflowId} → ` +
              `activity on ${result.worker} → Postgres (${result.dbTime}) → ` +
              `broker queue served by ${result.brokerWorker}`,
          );
      });
    });
}
