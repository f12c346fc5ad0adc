/** First-run setup after migrations: lines for the ready block (demo tenant comes with tenancy). */
import type { DatabaseHandle } from './database';

export async function afterMigrate(_db: DatabaseHandle, _say: (l: string) => void): Promise<string[]> {
  return [];
}
