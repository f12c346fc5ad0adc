/** The shared flag parsers: decimal only, bounded, and every error names its own flag. */
import {
  DATE_COVERAGE,
  maxLotsPerOrder,
  parseChoice,
  parseDate,
  parseDecimal,
  parseNonNegativeInt,
  parsePositiveInt,
} from './flags';
import { printable } from './output';
import { UsageError } from './usage-error';

const error = (fn: () => unknown): string => {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return (e as Error).message;
  }
  throw new Error('expected a UsageError');
};

describe('parsePositiveInt / parseNonNegativeInt', () => {
  it('reads decimal digits', () => {
    expect(parsePositiveInt('--lots')('12')).toBe(12);
    expect(parsePositiveInt('--lots')(' 7 ')).toBe(7);
    expect(parseNonNegativeInt('--seed')('0')).toBe(0);
  });

  it.each(['0x10', '1e3', 'Infinity', '', ' ', '12abc', '1.5', '-2', '+3', '0b11', '9007199254740993'])(
    'refuses %j naming the flag',
    (raw) => {
      expect(error(() => parsePositiveInt('--fill-timeout')(raw))).toMatch(
        /^--fill-timeout: expected a positive integer, got /,
      );
    },
  );

  it('zero is not positive; the maximum is named with its reason', () => {
    expect(error(() => parsePositiveInt('--limit')('0'))).toBe('--limit: expected a positive integer, got "0"');
    expect(error(() => parsePositiveInt('--lots', { max: 27, maxReason: 'the freeze quantity' })('28'))).toBe(
      '--lots: at most 27 (the freeze quantity), got "28"',
    );
  });
});

describe('parseDecimal', () => {
  it('reads plain decimals', () => {
    expect(parseDecimal('--rate')('-0.065')).toBe(-0.065);
    expect(parseDecimal('--vol')('.2')).toBe(0.2);
    expect(parseDecimal('--forward', { above: 0 })('25000.50')).toBe(25000.5);
  });

  it.each(['0x10', '1e3', 'Infinity', '-Infinity', 'NaN', '', '1.2.3', '10 k', '1_000'])('refuses %j', (raw) => {
    expect(error(() => parseDecimal('--forward', { above: 0 })(raw))).toMatch(/^--forward: expected a decimal number/);
  });

  it('a number too long for a double is refused, not read as Infinity', () => {
    expect(error(() => parseDecimal('--strike')('9'.repeat(400)))).toMatch(/^--strike: expected a decimal number/);
  });

  it('bounds', () => {
    expect(error(() => parseDecimal('--forward', { above: 0 })('0'))).toMatch(
      /^--forward: expected a decimal number > 0/,
    );
    expect(error(() => parseDecimal('--years', { min: 0 })('-1'))).toMatch(/^--years: expected a decimal number ≥ 0/);
    expect(error(() => parseDecimal('--vol', { min: 0, max: 10 })('11'))).toBe('--vol: at most 10, got "11"');
  });
});

describe('parseDate', () => {
  it('covers what the rate tables, the instrument specifications and the holiday calendar cover', () => {
    expect(DATE_COVERAGE).toEqual({ from: '2025-01-01', to: '2026-12-31' });
    expect(parseDate('--date')('2026-05-05')).toBe('2026-05-05');
  });

  it.each([
    ['1900-01-02', /^--date: 1900-01-02 is outside the data \(.* cover 2025-01-01 to 2026-12-31\)$/],
    ['9999-12-31', /^--date: 9999-12-31 is outside the data/],
    ['2026-02-30', /^--date: expected a date YYYY-MM-DD, got "2026-02-30"$/],
    ['05/05/2026', /^--date: expected a date YYYY-MM-DD/],
  ])('refuses %s naming the flag', (raw, message) => {
    expect(error(() => parseDate('--date')(raw))).toMatch(message);
  });
});

describe('parseChoice', () => {
  it('normalises and lists the choices', () => {
    const p = parseChoice('--instrument', ['NIFTY', 'BANKNIFTY'] as const, {
      normalise: (s) => s.trim().toUpperCase(),
    });
    expect(p('nifty')).toBe('NIFTY');
    expect(error(() => p('sensex'))).toBe('--instrument: expected one of NIFTY, BANKNIFTY, got "sensex"');
  });
});

describe('maxLotsPerOrder', () => {
  it('is the freeze quantity in lots at the smallest lot size on record', () => {
    expect(maxLotsPerOrder('NIFTY')).toBe(27); // 1800 / 65
    expect(maxLotsPerOrder('BANKNIFTY')).toBe(30); // 900 / 30
  });
});

describe('printable', () => {
  it('strips escape sequences and control characters, keeps newlines and tabs', () => {
    expect(printable('\u001b[31mred\u001b[0m tenant')).toBe('red tenant');
    expect(printable('title\u001b]0;pwned\u0007 ok')).toBe('title ok');
    expect(printable('bell\u0007 nul\u0000 del\u007f c1\u009b2J')).toBe('bell nul del c1');
    expect(printable('a\tb\nc')).toBe('a\tb\nc');
    expect(printable('₹ 1,00,000 — ok')).toBe('₹ 1,00,000 — ok');
  });
});
