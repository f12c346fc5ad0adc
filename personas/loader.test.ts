/**
 * The twenty declarations load; a malformed file is refused naming the file, the line and
 * column, and the field path (bad type, unknown key, bad condition or action, YAML syntax,
 * missing field, a persona id that does not match its file, two files for one persona).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { STRUCTURE_KINDS } from '../domain/strategies/types';
import { checkPersonaDir, loadPersonas, parsePersonaText, PersonaFileError, PERSONAS_DIR } from './loader';

// The committed file, with its strings double-quoted (the replacements below spell them so).
const P05 = fs.readFileSync(path.join(PERSONAS_DIR, 'P05_aggressor.yaml'), 'utf8').replace(/'/g, '"');

function refusal(text: string, file = 'P05_aggressor.yaml'): PersonaFileError {
  try {
    parsePersonaText(text, file);
  } catch (e) {
    if (e instanceof PersonaFileError) return e;
    throw e;
  }
  throw new Error('accepted');
}

const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;

describe('persona declarations', () => {
  const personas = loadPersonas();

  it('are twenty, P01 … P20, each in its own file', () => {
    expect(personas.map((p) => p.spec.persona_id)).toEqual(
      Array.from({ length: 20 }, (_, i) => `P${String(i + 1).padStart(2, '0')}`),
    );
  });

  it("P05 is the seed's Aggressor, with the seed's values", () => {
    const p = personas.find((x) => x.spec.persona_id === 'P05')!.spec;
    expect(p.name).toBe('The Aggressor');
    expect(p.initial_state).toEqual({ knob: 75, capital: 1_500_000 });
    expect(p.knob_behavior.base_rule).toBe('stay_at_current');
    expect(p.knob_behavior.triggers[0]).toEqual({
      condition: 'consecutive_wins >= 3',
      probability: 0.4,
      action: 'knob += 5',
      reason_code: 'earned_confidence',
      is_biased: true,
    });
    expect(p.stochastic_noise.decision_randomness).toBe(0.25);
    expect(p.futures_behavior).toEqual({
      enabled: true,
      baseline_appetite: 0.8,
      hedge_preference: 'never',
      hedge_trigger_band: 'MODERATE',
      max_overnight_lots: 6,
      size_haircut_naked: 1.0,
      size_haircut_hedged: 0.0,
    });
  });

  it('are twenty distinct archetypes and together use all eight structures', () => {
    expect(new Set(personas.map((p) => p.spec.archetype)).size).toBe(20);
    const used = new Set(personas.flatMap((p) => Object.keys(p.spec.trading.structures)));
    expect([...used].sort()).toEqual([...STRUCTURE_KINDS].sort());
  });
});

describe('a malformed persona file is refused with file, line and field path', () => {
  it('a value of the wrong type', () => {
    const text = P05.replace('max_lots: 40', 'max_lots: "forty"');
    const e = refusal(text);
    expect(e.message).toBe(
      `P05_aggressor.yaml:${lineOf(text, 'max_lots')}:13: trading.max_lots: expected number, received string`,
    );
  });

  it('an unknown key, pointing at the key itself', () => {
    const text = P05.replace('  max_lots: 40', '  max_lots: 40\n  max_lotz: 41');
    const e = refusal(text);
    expect([e.line, e.column, e.field]).toEqual([lineOf(text, 'max_lotz'), 3, 'trading.max_lotz']);
    expect(e.detail).toBe('unknown key "max_lotz"');
  });

  it('an unknown structure (the weights are a closed set too)', () => {
    const text = P05.replace('LONG_STRADDLE: 1', 'LONG_STRADDLE: 1, COVERED_CALL: 2');
    expect(refusal(text).field).toBe('trading.structures.COVERED_CALL');
  });

  it('a condition that does not parse, at the column inside the expression', () => {
    const text = P05.replace('"consecutive_wins >= 3"', '"consecutive_wins >= 3 and drawdwn_pct > 5"');
    const e = refusal(text);
    const line = lineOf(text, 'drawdwn_pct');
    const col = text.split('\n')[line - 1]!.indexOf('drawdwn_pct') + 1;
    expect([e.line, e.column, e.field]).toEqual([line, col, 'knob_behavior.triggers.0.condition']);
    expect(e.detail).toMatch(/unknown variable "drawdwn_pct" \(did you mean drawdown_pct\?\)/);
  });

  it('an action that assigns to something else', () => {
    const e = refusal(P05.replace('"knob += 5"', '"capital += 5"'));
    expect(e.field).toBe('knob_behavior.triggers.0.action');
    expect(e.detail).toMatch(/an action assigns to knob/);
  });

  it('a psychology condition with a bare number', () => {
    const text = P05.replace('exit: "day_pnl_pct > 0"', 'exit: "day_pnl_pct"');
    const e = refusal(text);
    expect([e.line, e.field]).toEqual([lineOf(text, 'exit: "day_pnl_pct"'), 'psychology.tilt.exit']);
  });

  it('an out-of-range value and an unknown enum value', () => {
    expect(refusal(P05.replace('probability: 0.40', 'probability: 1.4')).field).toBe(
      'knob_behavior.triggers.0.probability',
    );
    const e = refusal(P05.replace('hedge_preference: "never"', 'hedge_preference: "sometimes"'));
    expect(e.field).toBe('futures_behavior.hedge_preference');
    expect(e.detail).toMatch(/never.*on_band_breach.*always/);
  });

  it('a missing field, at its parent', () => {
    const text = P05.replace(/ {2}max_overnight_lots: 6\n/, '');
    const e = refusal(text);
    expect([e.line, e.field]).toEqual([lineOf(text, 'futures_behavior:'), 'futures_behavior.max_overnight_lots']);
  });

  it('broken YAML and a duplicate key', () => {
    const broken = P05.replace('  knob: 75', '  knob: [75');
    expect(refusal(broken).message).toMatch(/^P05_aggressor\.yaml:\d+:\d+: YAML: /);
    const dup = P05.replace('  knob: 75', '  knob: 75\n  knob: 80');
    expect(refusal(dup).detail).toMatch(/unique|duplicate/i);
  });

  it('a persona id that does not match its file name, or two files for one persona', () => {
    expect(refusal(P05, 'P06_x.yaml').detail).toBe('P05 does not match the file name');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qs-personas-'));
    fs.writeFileSync(path.join(dir, 'P05_a.yaml'), P05);
    fs.writeFileSync(path.join(dir, 'P05_b.yaml'), P05);
    const check = checkPersonaDir(dir);
    expect(check.personas).toHaveLength(1);
    expect(check.errors.map((e) => e.message)).toEqual([
      'P05_b.yaml:1:1: persona_id: P05 is also declared in P05_a.yaml',
    ]);
  });
});
