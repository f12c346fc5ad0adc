/**
 * A persona as declared in personas/P*.yaml (snake_case, as written): the seed's schema
 * (persona_id, name, initial_state, knob_behavior, stochastic_noise, futures_behavior) plus
 * what the behaviour engine needs to trade (trading) and the psychological-state parameters
 * (psychology). personas/schema.ts validates a file into exactly this shape.
 */
import type { StructureKind } from '../strategies/types';

/** Minutes after 09:15 at which the simulated market is looked at (09:30 … 15:25 IST). */
export const GRID_MINUTES = [15, 45, 90, 150, 210, 270, 330, 370] as const;
export type GridMinute = (typeof GRID_MINUTES)[number];
/** The last look of the day: every position is closed here (nothing is carried overnight). */
export const CLOSE_MINUTE = 370;

export const PSYCH_STATES = ['rational', 'tilted', 'fatigued'] as const;
export type PsychState = (typeof PSYCH_STATES)[number];

/** never; on_band_breach: hedge to the nearest futures lot once the band is breached; always: any delta, rounded up. */
export const HEDGE_PREFERENCES = ['never', 'on_band_breach', 'always'] as const;
export type HedgePreference = (typeof HEDGE_PREFERENCES)[number];

/** Net delta, in lots of the index per lot of the structure, beyond which a band is breached. */
export const HEDGE_BANDS = { TIGHT: 0.1, MODERATE: 0.25, WIDE: 0.5 } as const;
export type HedgeBand = keyof typeof HEDGE_BANDS;

export const KNOB_BASE_RULES = ['stay_at_current', 'revert_to_initial'] as const;
export type KnobBaseRule = (typeof KNOB_BASE_RULES)[number];

export const DIRECTIONAL_BIASES = ['none', 'trend', 'contrarian'] as const;
export type DirectionalBias = (typeof DIRECTIONAL_BIASES)[number];

export interface KnobTrigger {
  readonly condition: string;
  readonly probability: number;
  readonly action: string;
  readonly reason_code: string;
  readonly is_biased: boolean;
}

export interface PersonaSpec {
  readonly persona_id: string;
  readonly name: string;
  /** Short archetype label (stored as persona_archetype; never a feature). */
  readonly archetype: string;
  readonly description: string;
  readonly initial_state: { readonly knob: number; readonly capital: number };
  readonly trading: {
    /** Relative weights over the eight structures (missing = never chosen). */
    readonly structures: Readonly<Partial<Record<StructureKind, number>>>;
    /** Chance of trading on an ordinary day at knob 50, before state and noise. */
    readonly daily_trade_probability: number;
    readonly max_trades_per_day: number;
    /** Grid minutes at which the persona considers an entry, in order. */
    readonly entry_minutes: readonly GridMinute[];
    /** Multiplies the trade probability on an expiry day of the nearest weekly. */
    readonly expiry_day_multiplier: number;
    /** On an expiry day, trade the expiring contracts (0 DTE) instead of the next expiry. */
    readonly same_day_expiry: boolean;
    /** Percent of equity put at risk (the structure's max loss) per trade at knob 100. */
    readonly risk_per_trade_pct: number;
    readonly max_lots: number;
    /** Close when the loss reaches this percent of the max loss (null: no stop). */
    readonly stop_loss_pct: number | null;
    /** Close when the profit reaches this percent of the max profit (null: hold to the close). */
    readonly take_profit_pct: number | null;
    /** Which credit spread a directional choice becomes: with the morning move, against it, or as declared. */
    readonly directional_bias: DirectionalBias;
    /** Short-strike delta for spreads and condors (default the templates'). */
    readonly short_delta?: number;
  };
  readonly knob_behavior: {
    readonly base_rule: KnobBaseRule;
    /** Share of the gap to the initial knob closed each day under revert_to_initial. */
    readonly revert_rate?: number;
    readonly triggers: readonly KnobTrigger[];
  };
  readonly stochastic_noise: {
    /** Chance that a choice (trade or not, structure, entry time) is made at random. */
    readonly decision_randomness: number;
    /** Log-normal sd of the size multiplier (default: decision_randomness). */
    readonly size_noise?: number;
  };
  readonly futures_behavior: {
    readonly enabled: boolean;
    /** Chance of adding a futures position (hedge or naked) to a trade, at knob 50. */
    readonly baseline_appetite: number;
    readonly hedge_preference: HedgePreference;
    readonly hedge_trigger_band: HedgeBand;
    /** Futures lots at most (the seed's name; here every position closes by 15:25). */
    readonly max_overnight_lots: number;
    /** Multiplier on a naked futures position's lots (max_overnight_lots × knob / 100). */
    readonly size_haircut_naked: number;
    /** Multiplier on a delta hedge's futures lots (the structure's net delta × its lots). */
    readonly size_haircut_hedged: number;
  };
  readonly psychology: {
    readonly tilt: {
      readonly enter: string;
      /** Chance of tilting when `enter` holds at a day's end. */
      readonly probability: number;
      readonly exit: string;
      readonly max_days: number;
      readonly size_multiplier: number;
      readonly frequency_multiplier: number;
      readonly extra_trades: number;
      readonly ignore_stops: boolean;
    };
    readonly fatigue: {
      readonly enter: string;
      readonly probability: number;
      readonly rest_days: number;
      readonly activity_multiplier: number;
      readonly size_multiplier: number;
    };
  };
}
