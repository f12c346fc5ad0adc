/**
 * The persona file schema (zod): exactly the shape of `PersonaSpec` (domain/personas/types.ts),
 * every object strict, so a misspelt or unknown key is refused rather than ignored. The
 * conditions and actions are checked by the domain's parser after this (loader.ts).
 */
import { z } from 'zod';
import {
  DIRECTIONAL_BIASES,
  GRID_MINUTES,
  HEDGE_BANDS,
  HEDGE_PREFERENCES,
  KNOB_BASE_RULES,
  type GridMinute,
  type PersonaSpec,
  CLOSE_MINUTE,
} from '../domain/personas/types';
import { STRUCTURE_KINDS, type StructureKind } from '../domain/strategies/types';

const probability = z.number().min(0).max(1);
const multiplier = z.number().min(0).max(10);
const percent = z.number().gt(0).max(100);
const knob = z.number().int().min(0).max(100);
const expression = z.string().min(1, 'must not be empty');

const structureWeights = z
  .strictObject(
    Object.fromEntries(STRUCTURE_KINDS.map((k) => [k, z.number().min(0).optional()])) as Record<
      StructureKind,
      z.ZodOptional<z.ZodNumber>
    >,
  )
  .refine((w) => Object.values(w).some((x) => (x ?? 0) > 0), 'must give at least one structure a positive weight');

const entryMinute = z
  .number()
  .int()
  .refine((m) => (GRID_MINUTES as readonly number[]).includes(m) && m !== CLOSE_MINUTE, {
    message:
      'must be one of the grid minutes ' + `${GRID_MINUTES.filter((m) => m !== CLOSE_MINUTE).join(', ')} (after 09:15)`,
  })
  .transform((m) => m as GridMinute);

const trigger = z.strictObject({
  condition: expression,
  probability,
  action: expression,
  reason_code: z.string().regex(/^[a-z][a-z0-9_]*$/, 'must be snake_case'),
  is_biased: z.boolean(),
});

export const personaSchema = z.strictObject({
  persona_id: z.string().regex(/^P\d{2}$/, 'must be P followed by two digits (P01 … P20)'),
  name: z.string().min(1),
  archetype: z.string().regex(/^[a-z][a-z0-9_]*$/, 'must be snake_case'),
  description: z.string().min(1),
  initial_state: z.strictObject({
    knob,
    capital: z.number().int().min(100_000).max(1_000_000_000),
  }),
  trading: z.strictObject({
    structures: structureWeights,
    daily_trade_probability: probability,
    max_trades_per_day: z.number().int().min(1).max(6),
    entry_minutes: z.array(entryMinute).min(1).max(7),
    expiry_day_multiplier: z.number().min(0).max(50),
    same_day_expiry: z.boolean(),
    risk_per_trade_pct: percent,
    max_lots: z.number().int().min(1).max(200),
    stop_loss_pct: percent.nullable(),
    // Above 100 makes sense for bought options (a multiple of the debit paid).
    take_profit_pct: z.number().gt(0).max(1000).nullable(),
    directional_bias: z.enum(DIRECTIONAL_BIASES),
    short_delta: z.number().gt(0).lt(0.5).optional(),
  }),
  knob_behavior: z.strictObject({
    base_rule: z.enum(KNOB_BASE_RULES),
    revert_rate: z.number().gt(0).max(1).optional(),
    triggers: z.array(trigger),
  }),
  stochastic_noise: z.strictObject({
    decision_randomness: probability,
    size_noise: z.number().min(0).max(2).optional(),
  }),
  futures_behavior: z.strictObject({
    enabled: z.boolean(),
    baseline_appetite: probability,
    hedge_preference: z.enum(HEDGE_PREFERENCES),
    hedge_trigger_band: z.enum(Object.keys(HEDGE_BANDS) as [keyof typeof HEDGE_BANDS]),
    max_overnight_lots: z.number().int().min(0).max(100),
    size_haircut_naked: z.number().min(0).max(1),
    size_haircut_hedged: z.number().min(0).max(1),
  }),
  psychology: z.strictObject({
    tilt: z.strictObject({
      enter: expression,
      probability,
      exit: expression,
      max_days: z.number().int().min(1).max(60),
      size_multiplier: multiplier,
      frequency_multiplier: multiplier,
      extra_trades: z.number().int().min(0).max(5),
      ignore_stops: z.boolean(),
    }),
    fatigue: z.strictObject({
      enter: expression,
      probability,
      rest_days: z.number().int().min(1).max(30),
      activity_multiplier: z.number().min(0).max(1),
      size_multiplier: z.number().min(0).max(1),
    }),
  }),
});

// Compile time: what the schema accepts is a PersonaSpec.
export const asPersonaSpec = (p: z.infer<typeof personaSchema>): PersonaSpec => p;
