/**
 * Rule 1: no ML pipeline ever sees persona_id, is_synthetic, bias_type or persona_archetype.
 * Raw rows (from the simulator, persona trades, real trades) may carry them; the only way from
 * a raw row to a training example is toExamples(), which builds each feature vector from the
 * feature schema's names alone (never copying the row) and refuses a schema that names a
 * forbidden field. The row's origin (context_source) sets its weight, never a feature.
 */
import type { FeatureSchema } from '../types';

export const FORBIDDEN_FIELDS = ['persona_id', 'is_synthetic', 'bias_type', 'persona_archetype'] as const;
/** Derived from who the persona is: its psychological state and knob at the trade. Stripped too. */
export const PERSONA_STATE_FIELDS = ['psych_state', 'knob'] as const;
const STRIPPED: readonly string[] = [...FORBIDDEN_FIELDS, ...PERSONA_STATE_FIELDS];

/**
 * Real rows count this many times a synthetic one, so a real row outweighs a synthetic one 3:1
 * and synthetic data's share of the total weight, n_s / (n_s + 3·n_r), decays as real volume
 * grows (the seed's cold start: synthetic first, real taking over).
 */
export const REAL_WEIGHT = 3;
export const SYNTHETIC_WEIGHT = 1;

export type ContextSource = 'real' | 'synthetic';

/** A row as a source produces it: numeric feature columns plus whatever else the source knows. */
export interface RawRow {
  readonly context_source: ContextSource;
  /** Grouping key for holdout splits (a trading date), never a feature. */
  readonly group: string;
  readonly label: number;
  readonly [column: string]: unknown;
}

export interface Example {
  readonly x: readonly number[];
  readonly y: number;
  readonly weight: number;
  readonly group: string;
}

const normalise = (name: string) => name.toLowerCase().replace(/[^a-z0-9]/g, '');
const FORBIDDEN_NORMALISED = new Set(
  [
    ...FORBIDDEN_FIELDS,
    ...PERSONA_STATE_FIELDS,
    'context_source',
    'persona',
    'synthetic',
    'archetype',
    'bias',
    'psych',
  ].map(normalise),
);

/** Throws if a feature name is, or contains, a forbidden field (any spelling). */
export function assertRule1Schema(schema: FeatureSchema): void {
  for (const f of schema.features) {
    const n = normalise(f);
    for (const bad of FORBIDDEN_NORMALISED) {
      if (n.includes(bad)) throw new Error(`Rule 1: feature "${f}" would carry the forbidden field "${bad}"`);
    }
  }
}

export function toExamples(rows: readonly RawRow[], schema: FeatureSchema): Example[] {
  assertRule1Schema(schema);
  return rows.map((row) => {
    const x = schema.features.map((name) => {
      const v = row[name];
      if (typeof v !== 'number' || !Number.isFinite(v))
        throw new Error(`feature "${name}" is not a finite number in a ${row.context_source} row of ${row.group}`);
      return v;
    });
    return {
      x,
      y: row.label,
      weight: row.context_source === 'real' ? REAL_WEIGHT : SYNTHETIC_WEIGHT,
      group: row.group,
    };
  });
}

type Stripped = (typeof FORBIDDEN_FIELDS)[number] | (typeof PERSONA_STATE_FIELDS)[number];

/** The stripped view of a raw row (what a fetcher hands on): forbidden and persona-state fields removed. */
export function stripRule1<T extends Record<string, unknown>>(row: T): Omit<T, Stripped> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) if (!STRIPPED.includes(k)) out[k] = v;
  return out as Omit<T, Stripped>;
}

export function summarise(examples: readonly Example[]): Record<string, number> {
  const real = examples.filter((e) => e.weight === REAL_WEIGHT).length;
  return { rows: examples.length, real, synthetic: examples.length - real };
}
