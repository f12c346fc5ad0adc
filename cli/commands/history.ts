import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { printText } from '../output';
import { Command } from 'commander';
import { withTemporal } from '../context';
import { exportHistory, fixtureName, readHistoryFile, replayHistory } from '../../runtime/replay';
import { WORKFLOWS_PATH } from '../../workers/bundle';
import { UsageError } from '../usage-error';

export function register(program: Command): void {
  const history = program.command('history').description('workflow histories');
  history
    .command('export')
    .description('write a workflow history from the running server as a replay fixture')
    .argument('<workflowId>')
    .option('--out <file>', 'output file (default: test/histories/<workflowId>.json)')
    .action(async (workflowId: string, opts: { out?: string }) => {
      const out = path.resolve(opts.out ?? path.join('test', 'histories', fixtureName(workflowId)));
      await withTemporal((client) => exportHistory(client, workflowId, out));
      printText(`history of ${workflowId} written to ${out}`);
    });

  program
    .command('replay')
    .description('replay a history (a fixture file, or a workflow id on the running server) against the current code')
    .argument('<workflowIdOrFile>')
    .action(async (target: string) => {
      let file = target;
      let workflowId: string;
      if (fs.existsSync(target)) {
        workflowId = path.basename(target, '.json');
      } else {
        workflowId = target;
        file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'qs-replay-')), fixtureName(target));
        await withTemporal((client) => exportHistory(client, target, file)).catch((e: Error) => {
          throw new UsageError(`"${target}" is neither a file nor a workflow id the server knows: ${e.message}`);
        });
      }
      const outcome = await replayHistory({ workflowsPath: WORKFLOWS_PATH }, readHistoryFile(file), workflowId);
      if (outcome.deterministic) printText(`deterministic: ${workflowId} replays against the current workflow code`);
      else {
        printText(`NOT deterministic: ${workflowId} no longer replays against the current code:\n  ${outcome.error}`);
        process.exitCode = 1;
      }
    });
}
