import path from 'node:path';
import { printText } from '../output';
import { Command } from 'commander';
import { buildWorkflowBundle } from '../../workers/bundle';

export function register(program: Command): void {
  program
    .command('build')
    .description('pre-build the workflow bundle for production workers (set QS_WORKFLOW_BUNDLE to its path)')
    .option('--out <file>', 'where to write it', 'dist/workflow-bundle.js')
    .action(async (opts: { out: string }) => {
      const out = await buildWorkflowBundle(path.resolve(opts.out));
      printText(`workflow bundle written to ${out}`);
    });
}
