import { applyRequest, mayEnter, mayExit, validateRequest, type DayControl } from './states';
import { firstTickMinute, nextTickMinute, SQUARE_OFF_MINUTE, tickDecisionId, ticksInDay } from './clock';
import { maxDrawdown, refusalKey } from './summary';

const open: DayControl = {
  state: 'ACTIVE',
  paused: false,
  phase: 'open',
  cadenceMinutes: 5,
  stateReason: null,
  flattenPending: false,
  openPositions: 2,
};

describe('trading day states', () => {
  it('ACTIVE and running is the only state that enters', () => {
    expect(mayEnter(open)).toBe(true);
    expect(mayEnter({ ...open, paused: true })).toBe(false);
    expect(mayEnter(applyRequest(open, { kind: 'reduce' }))).toBe(false);
    expect(mayEnter(applyRequest(open, { kind: 'halt' }))).toBe(false);
    expect(mayEnter({ ...open, phase: 'closing' })).toBe(false);
  });

  it('exit rules act while ACTIVE or REDUCING, not while HALTED or paused', () => {
    expect(mayExit(open)).toBe(true);
    expect(mayExit(applyRequest(open, { kind: 'reduce' }))).toBe(true);
    expect(mayExit(applyRequest(open, { kind: 'halt' }))).toBe(false);
    expect(mayExit({ ...open, paused: true })).toBe(false);
  });

  it('validators say why a request makes no sense now', () => {
    expect(validateRequest({ ...open, phase: 'closed' }, { kind: 'resume' })).toMatch(/day is over/);
    expect(validateRequest({ ...open, flattenPending: true }, { kind: 'flatten' })).toMatch(/already under way/);
    expect(validateRequest({ ...open, openPositions: 0 }, { kind: 'flatten' })).toMatch(/book is flat/);
    expect(validateRequest(open, { kind: 'resume' })).toMatch(/already active/);
    expect(validateRequest({ ...open, state: 'HALTED' }, { kind: 'reduce' })).toMatch(/loosen/);
    expect(validateRequest({ ...open, state: 'HALTED' }, { kind: 'halt' })).toMatch(/already halted/);
    expect(validateRequest(open, { kind: 'setCadence', minutes: 0 })).toMatch(/1\.\.60/);
    expect(validateRequest(open, { kind: 'setCadence', minutes: 1.5 })).toMatch(/whole minutes/);
    expect(validateRequest(open, { kind: 'setCadence', minutes: 1 })).toBeNull();
    expect(validateRequest(open, { kind: 'flatten' })).toBeNull();
    expect(validateRequest({ ...open, state: 'HALTED' }, { kind: 'resume' })).toBeNull();
  });

  it('resume clears the state and the pause; halt keeps its reason', () => {
    const halted = applyRequest({ ...open, paused: true }, { kind: 'halt' }, 'risk desk');
    expect(halted).toMatchObject({ state: 'HALTED', stateReason: 'risk desk', paused: true });
    expect(applyRequest(halted, { kind: 'resume' })).toMatchObject({
      state: 'ACTIVE',
      paused: false,
      stateReason: null,
    });
  });
});

describe('trading day clock and summary maths', () => {
  it('ticks one cadence after the open until before 15:15', () => {
    expect(firstTickMinute(5)).toBe(9 * 60 + 20);
    expect(nextTickMinute(SQUARE_OFF_MINUTE - 5, 5)).toBeNull();
    expect(ticksInDay(5)).toBe(71);
    expect(ticksInDay(1)).toBe(359);
    expect(tickDecisionId('2026-05-06', 9 * 60 + 20)).toBe('day-2026-05-06-0920');
  });

  it('max drawdown is the largest fall from a peak, exact', () => {
    expect(maxDrawdown([])).toBe('0.00');
    expect(maxDrawdown(['100.10', '40.05', '250.00', '-10.01', '30'])).toBe('260.01');
    expect(maxDrawdown(['-5.00'])).toBe('5.00');
  });

  it('a refusal is keyed by the wall that failed, else by its reason', () => {
    const gates = [
      { wall: 'capital', pass: true },
      { wall: 'daily_loss', pass: false },
    ];
    expect(refusalKey({ status: 'refused', reasons: [], gates })).toBe('daily_loss');
    expect(refusalKey({ status: 'refused', reasons: [{ code: 'NET_EV', source: 'costs' }], gates: [] })).toBe(
      'costs:NET_EV',
    );
    expect(refusalKey({ status: 'trade', reasons: [], gates })).toBeNull();
  });
});
