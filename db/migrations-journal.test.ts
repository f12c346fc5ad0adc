import fs from 'node:fs';
import { journal, MIGRATIONS_DIR } from './migrate';

// drizzle's migrator applies a journal entry only when its `when` is later than the last one a
// database applied: an entry that sorts earlier than its predecessor is silently skipped on any
// database that already ran the predecessor. Numbers and files must match the journal one to one.
describe('migration journal', () => {
  const entries = journal();

  it('numbers entries 0..n-1, each tag starting with its own zero-padded number', () => {
    entries.forEach((e, i) => {
      expect(e.idx).toBe(i);
      expect(e.tag.slice(0, 5)).toBe(`${String(i).padStart(4, '0')}_`);
    });
  });

  it('orders entries by strictly increasing timestamps', () => {
    for (let i = 1; i < entries.length; i++) expect(entries[i]!.when).toBeGreaterThan(entries[i - 1]!.when);
  });

  it('has exactly one SQL file per entry', () => {
    const files = fs
      .readdirSync(MIGRATIONS_DIR)
      .filter((f) => f.endsWith('.sql'))
      .sort();
    expect(files).toEqual(entries.map((e) => `${e.tag}.sql`));
  });
});
