/**
 * Rule 1: persona_id, is_synthetic, bias_type and persona_archetype never reach a feature.
 * Proofs: (1) no trainer's schema can name them; (2) changing them in the raw rows leaves every
 * feature vector unchanged; (3) a trained artifact is byte-identical whatever they contain.
 * And real rows weigh more than synthetic ones.
 */
import { MODEL_TYPE_IDS } from '../model-types';
import { TRAINERS, trainFromRows } from '../trainers';
import { simulatorRows } from './datasets';
import { personaTradeFacts, profileRow, PROFILE_FEATURES } from './tenant-trades';
import { simulatePersonas } from '../../domain/personas/run';
import type { PersonaTrade } from '../../domain/personas/engine';
import { loadPersonas } from '../../personas/loader';
import {
  assertRule1Schema,
  FORBIDDEN_FIELDS,
  REAL_WEIGHT,
  stripRule1,
  SYNTHETIC_WEIGHT,
  toExamples,
  type RawRow,
} from './rule1';

function scramblePersonas(rows: readonly RawRow[], salt: number): RawRow[] {
  return rows.map((r, i) => ({
    ...r,
    persona_id: `P${((i * 7 + salt) % 20) + 1}`,
    is_synthetic: (i + salt) % 2 === 0,
    bias_type: ['overconfidence', 'none', 'recency'][(i + salt) % 3],
    persona_archetype: ['aggressor', 'hedger'][(i * 3 + salt) % 2],
  }));
}

describe('Rule 1 (no persona fields in any ML feature)', () => {
  it.each(MODEL_TYPE_IDS)('%s: the feature schema names no forbidden field', (typeId) => {
    expect(() => assertRule1Schema(TRAINERS[typeId].featureSchema)).not.toThrow();
    for (const f of TRAINERS[typeId].featureSchema.features)
      for (const bad of FORBIDDEN_FIELDS) expect(f).not.toContain(bad);
  });

  it('a schema that tries to carry a persona field, in any spelling, is refused', () => {
    for (const name of ['persona_id', 'PersonaArchetype', 'is-synthetic', 'bias_type_code', 'context_source']) {
      expect(() => assertRule1Schema({ features: ['ret5', name], output: 'y' })).toThrow(/Rule 1/);
    }
  });

  it.each(MODEL_TYPE_IDS)('%s: feature vectors do not change when persona fields do', (typeId) => {
    const rows = simulatorRows(typeId, '2026-05-22', 3);
    const schema = TRAINERS[typeId].featureSchema;
    const a = toExamples(scramblePersonas(rows, 1), schema);
    const b = toExamples(scramblePersonas(rows, 2), schema);
    expect(a.map((e) => e.x)).toEqual(b.map((e) => e.x));
    expect(a.map((e) => e.y)).toEqual(b.map((e) => e.y));
  });

  it('persona trades (simulated fills) carry the fields, the stripped view does not', () => {
    const rows = simulatorRows('slippage_coefficients', '2026-05-22', 2);
    expect(rows[0]).toHaveProperty('persona_id');
    expect(rows[0]).toHaveProperty('persona_archetype');
    const stripped = rows.map(stripRule1);
    for (const r of stripped) for (const bad of FORBIDDEN_FIELDS) expect(r).not.toHaveProperty(bad);
  });

  it('a trained model is byte-identical whatever the persona fields say', async () => {
    const rows = simulatorRows('slippage_coefficients', '2026-05-22', 6);
    const a = await trainFromRows('slippage_coefficients', scramblePersonas(rows, 3));
    const b = await trainFromRows('slippage_coefficients', scramblePersonas(rows, 4));
    expect(a.artifact.equals(b.artifact)).toBe(true);
  });

  it('real rows weigh more than synthetic ones, and the weight moves the fit', async () => {
    const rows = simulatorRows('slippage_coefficients', '2026-05-22', 6);
    const ex = toExamples(
      [{ ...rows[0]!, context_source: 'real' }, rows[1]!],
      TRAINERS.slippage_coefficients.featureSchema,
    );
    expect(ex.map((e) => e.weight)).toEqual([REAL_WEIGHT, SYNTHETIC_WEIGHT]);
    expect(REAL_WEIGHT).toBeGreaterThan(SYNTHETIC_WEIGHT);
    // Half the rows turned "real" with a doubled label: the fit leans towards them.
    const realDoubled = rows.map((r, i) =>
      i % 2 === 0 ? { ...r, context_source: 'real' as const, label: r.label * 2 } : r,
    );
    const allSynthetic = realDoubled.map((r) => ({ ...r, context_source: 'synthetic' as const }));
    const share = (m: { artifact: Buffer }) => JSON.parse(m.artifact.toString()).state.spreadShare as number;
    expect(share(await trainFromRows('slippage_coefficients', realDoubled))).toBeGreaterThan(
      share(await trainFromRows('slippage_coefficients', allSynthetic)),
    );
  });

  it('tenant_profile rows carry trade facts only: a persona trade’s who and state never reach them', () => {
    const trades: PersonaTrade[] = [];
    simulatePersonas(
      loadPersonas()
        .slice(0, 4)
        .map((p) => p.compiled),
      { instrument: 'NIFTY', fromDate: '2026-05-18', days: 3, seed: 11 },
      (t) => trades.push(...t),
    );
    expect(trades.length).toBeGreaterThan(3);
    const rows = trades.map((t) => profileRow('synthetic', personaTradeFacts(t)));
    const disguised = trades.map((t, i) =>
      profileRow(
        'synthetic',
        personaTradeFacts({
          ...t,
          personaId: `P${i}`,
          archetype: 'hedger',
          biasType: 'recency',
          psychState: 'tilted',
          knob: 99,
        }),
      ),
    );
    expect(disguised).toEqual(rows);
    for (const r of rows)
      expect(Object.keys(r).sort()).toEqual(['context_source', 'group', 'label', ...PROFILE_FEATURES].sort());
    const schema = TRAINERS.tenant_profile.featureSchema;
    expect(toExamples(rows, schema).every((e) => e.weight === SYNTHETIC_WEIGHT)).toBe(true);
    expect(toExamples([profileRow('real', personaTradeFacts(trades[0]!))], schema)[0]!.weight).toBe(REAL_WEIGHT);
  });
});
