/**
 * Named statements for the hot paths: Postgres parses and plans a named statement once per
 * connection and reuses it (a generic plan after five runs, when it costs no more than a custom
 * one), where an unnamed statement is parsed and planned on every call. Measured on decide's state
 * read and the rate-limit counter, planning cost more CPU than running them (bench:api).
 *
 * A name stands for exactly one text in the process: pg refuses a name that a connection already
 * prepared with another text, so a second definition with another text throws here, at once.
 */
import type { QueryConfig } from 'pg';

const texts = new Map<string, string>();

export interface PreparedStatement {
  readonly name: string;
  readonly text: string;
  /** The query config for one call: pass it to `client.query` or `pool.query`. */
  with(values: unknown[]): QueryConfig;
}

export function preparedStatement(name: string, text: string): PreparedStatement {
  const known = texts.get(name);
  if (known !== undefined && known !== text) throw new Error(`prepared statement '${name}' defined with two texts`);
  texts.set(name, text);
  return { name, text, with: (values) => ({ name, text, values }) };
}
