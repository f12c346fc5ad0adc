/**
 * The Temporal server's dynamic config, kept in one file (`deploy/temporal-dynamic-config.yaml`):
 * the compose clusters mount it and the dev server gets each value on its command line from it,
 * so a setting measured on one is the setting of the other.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

export const DYNAMIC_CONFIG_FILE = path.resolve(__dirname, '../deploy/temporal-dynamic-config.yaml');

/** `--dynamic-config-value key=json` pairs for `temporal server start-dev`. */
export function devServerDynamicConfigArgs(file = DYNAMIC_CONFIG_FILE): string[] {
  return Object.entries(readDynamicConfig(file)).flatMap(([key, value]) => [
    '--dynamic-config-value',
    `${key}=${JSON.stringify(value)}`,
  ]);
}

/** key → its one unconstrained value; anything the dev server's flag cannot express is an error naming it. */
export function readDynamicConfig(file: string): Record<string, unknown> {
  let doc: unknown;
  try {
    doc = parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`${file}: ${(err as Error).message}`);
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc))
    throw new Error(`${file}: expected a map of setting → [{ value }]`);
  const out: Record<string, unknown> = {};
  for (const [key, entries] of Object.entries(doc)) {
    const only = Array.isArray(entries) && entries.length === 1 ? (entries[0] as unknown) : undefined;
    if (!only || typeof only !== 'object' || !('value' in only))
      throw new Error(`${file}: ${key} must be a list of one { value: … }`);
    if ('constraints' in only)
      throw new Error(`${file}: ${key} has constraints, which the dev server's --dynamic-config-value cannot carry`);
    out[key] = (only as { value: unknown }).value;
  }
  return out;
}
