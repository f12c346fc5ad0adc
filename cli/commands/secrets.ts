/**
 * `qs secrets rotate`: re-seal every broker secret with the first key of QS_SECRETS_KEY.
 * Rotation: put the new key first and keep the old one after it (QS_SECRETS_KEY=new,old), run
 * this, then drop the old key. A secret sealed with a key that is not configured stops it with
 * that key's id; nothing is lost, and a rerun continues where it stopped.
 */
import type { Command } from 'commander';
import { rotateSecrets } from '../../db/broker-credentials';
import { SecretUnreadableError } from '../../db/secret-box';
import { withAppPool } from '../context';
import { print } from '../output';
import { UsageError } from '../usage-error';
import { secretsKeys } from './broker';

export function register(program: Command): void {
  const secrets = program.command('secrets').description('broker secrets sealed at rest (QS_SECRETS_KEY)');
  secrets
    .command('rotate')
    .description('re-seal every secret with the first key of QS_SECRETS_KEY (old keys after it)')
    .option('--json', 'machine-readable output')
    .action((opts: { json?: boolean }) =>
      withAppPool(async (pool, config) => {
        const keys = secretsKeys(config);
        let report;
        try {
          report = await rotateSecrets(pool, keys);
        } catch (e) {
          if (e instanceof SecretUnreadableError) throw new UsageError(`secrets rotate stopped: ${e.message}`);
          throw e;
        }
        const resealed = report.reduce((n, r) => n + r.resealed, 0);
        print(
          !!opts.json,
          { keyId: keys.current().id, resealed, tenants: report },
          () => `re-sealed ${resealed} secret(s) in ${report.length} tenant(s) with key ${keys.current().id}`,
        );
      }),
    );
}
