/**
 * Rule 1 over the real table: persona trades stored by the persona role carry persona_id,
 * is_synthetic, bias_type, persona_archetype (and the persona's state) in their own columns; a
 * model trained on them never sees any of it. Proofs: the fetched rows hold only market facts;
 * rewriting every persona column in the database leaves every feature vector, label, weight and
 * the trained artifact byte for byte the same; and real rows outweigh synthetic ones.
 */
import type { Pool } from 'pg';
import { createPool } from '../../db/client';
import { enablePersonaLogin } from '../../db/persona-role';
import { insertSyntheticTrades, syntheticTradesOf } from '../../db/synthetic-trades';
import { withTenant } from '../../db/tenant';
import { createTenant } from '../../db/tenants';
import type { PersonaTrade } from '../../domain/personas/engine';
import { simulatePersonas } from '../../domain/personas/run';
import { rawTrainingRows, type RowSource } from '../../ml/data/datasets';
import { personaTradeSource } from '../../ml/data/persona-trades';
import {
  FORBIDDEN_FIELDS,
  PERSONA_STATE_FIELDS,
  REAL_WEIGHT,
  SYNTHETIC_WEIGHT,
  toExamples,
  type RawRow,
} from '../../ml/data/rule1';
import { TRAINERS, trainFromRows } from '../../ml/trainers';
import { loadPersonas } from '../../personas/loader';
import { testEnv, testPool } from '../support/env';

const SLIPPAGE = 'slippage_coefficients' as const;
const schema = TRAINERS[SLIPPAGE].featureSchema;
const FROM = '2026-04-06';
const DAYS = 15;

let personaPool: Pool;
afterAll(() => personaPool?.end());

async function seedPersonaTrades(app: Pool): Promise<{ tenantId: number; dataVersion: string; trades: number }> {
  const env = testEnv();
  personaPool ??= createPool(await enablePersonaLogin(env.adminUrl, env.appUrl));
  const tenant = await createTenant(app, { slug: `rule1-${Date.now().toString(36)}`, name: 'Rule 1' });
  const personas = loadPersonas().filter((p) => ['P02', 'P05', 'P06', 'P10', 'P15'].includes(p.spec.persona_id));
  const trades: PersonaTrade[] = [];
  simulatePersonas(
    personas.map((p) => p.compiled),
    { instrument: 'NIFTY', fromDate: FROM, days: DAYS, seed: 5 },
    (t) => trades.push(...t),
  );
  await withTenant(personaPool, tenant.id, (tx) =>
    insertSyntheticTrades(tx, { simulationId: 'rule1', workflowId: 'test' }, trades),
  );
  const dataVersion = trades
    .map((t) => t.date)
    .sort()
    .at(-1)!;
  return { tenantId: tenant.id, dataVersion, trades: trades.length };
}

const PERSONA_KEYS: readonly string[] = [...FORBIDDEN_FIELDS, ...PERSONA_STATE_FIELDS];

describe('Rule 1 on persona trades from the database', () => {
  it('no persona field, value or derivative reaches a feature vector or the trained model', async () => {
    const app = testPool('app');
    const { tenantId, dataVersion, trades } = await seedPersonaTrades(app);
    expect(trades).toBeGreaterThan(30);
    const stored = await withTenant(app, tenantId, (tx) => syntheticTradesOf(tx, 'rule1'));
    // The table does know who traded, in its own columns.
    expect(new Set(stored.map((r) => r.personaId)).size).toBe(5);
    expect(new Set(stored.map((r) => r.personaArchetype)).size).toBe(5);

    const source = personaTradeSource(app, tenantId);
    const personaRows = await source(SLIPPAGE, dataVersion);
    expect(personaRows.length).toBeGreaterThan(2 * trades);
    // Built field by field from market facts: nothing else is on a row.
    for (const r of personaRows)
      expect(Object.keys(r).sort()).toEqual(
        ['context_source', 'depth_ratio', 'group', 'label', 'lots_minus_1', 'sqrt_volume_share', 'stress'].sort(),
      );

    const train = async () => {
      const rows = await rawTrainingRows(SLIPPAGE, dataVersion, [source], 3);
      for (const r of rows) for (const k of PERSONA_KEYS) expect(r).not.toHaveProperty(k);
      return { examples: toExamples(rows, schema), model: await trainFromRows(SLIPPAGE, rows) };
    };
    const before = await train();
    expect(before.model.dataSummary.synthetic).toBe(before.examples.length);
    const text = JSON.stringify(before.examples);
    for (const id of new Set(stored.map((r) => r.personaId))) expect(text).not.toContain(id);
    for (const a of new Set(stored.map((r) => r.personaArchetype))) expect(text).not.toContain(a);

    // Every persona column rewritten in the database: nothing a model sees may move.
    await withTenant(app, tenantId, (tx) =>
      tx.client.query(
        `UPDATE synthetic_trades SET persona_id = 'X' || persona_id, persona_archetype = 'scrambled',
                bias_type = 'scrambled', psych_state = 'tilted', knob = 100 - knob
          WHERE tenant_id = $1`,
        [tenantId],
      ),
    );
    const scrambled = await withTenant(app, tenantId, (tx) => syntheticTradesOf(tx, 'rule1'));
    expect(scrambled.every((r) => r.personaId.startsWith('X') && r.personaArchetype === 'scrambled')).toBe(true);
    const after = await train();
    expect(after.examples).toEqual(before.examples);
    expect(after.model.artifact.equals(before.model.artifact)).toBe(true);
  });

  it('every fetcher is stripped: a source that hands persona fields over loses them', async () => {
    const leaky: RowSource = async () => [
      {
        context_source: 'synthetic',
        group: '2026-05-22',
        label: 0.4,
        lots_minus_1: 2,
        depth_ratio: 0.5,
        sqrt_volume_share: 0.1,
        stress: 0.2,
        persona_id: 'P05',
        is_synthetic: true,
        bias_type: 'earned_confidence',
        persona_archetype: 'aggressor',
        psych_state: 'tilted',
        knob: 90,
      },
    ];
    const rows = await rawTrainingRows(SLIPPAGE, '2026-05-22', [leaky], 1);
    const last = rows.at(-1)!;
    expect(last).toMatchObject({ label: 0.4, lots_minus_1: 2 });
    for (const k of PERSONA_KEYS) expect(last).not.toHaveProperty(k);
  });

  it('real rows weigh more than persona rows, and the fit leans towards them', async () => {
    const app = testPool('app');
    const { tenantId, dataVersion } = await seedPersonaTrades(app);
    const synthetic = await personaTradeSource(app, tenantId)(SLIPPAGE, dataVersion);
    // The same fills as if executed for real, paying twice the slippage.
    const real: RawRow[] = synthetic.map((r) => ({ ...r, context_source: 'real', label: 2 * r.label }));
    const mixed = [...synthetic, ...real];
    expect(new Set(toExamples(mixed, schema).map((e) => e.weight))).toEqual(new Set([REAL_WEIGHT, SYNTHETIC_WEIGHT]));
    expect(REAL_WEIGHT / SYNTHETIC_WEIGHT).toBe(3);
    const share = async (rows: RawRow[]) =>
      JSON.parse((await trainFromRows(SLIPPAGE, rows)).artifact.toString()).state.spreadShare as number;
    const weighted = await share(mixed);
    const unweighted = await share(mixed.map((r) => ({ ...r, context_source: 'synthetic' as const })));
    // With real rows at 3×, the fitted spread share sits nearer the real rows' (doubled) slippage.
    expect(weighted).toBeGreaterThan(unweighted);
  });
});
