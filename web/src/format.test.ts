import { greek, rupees, signOf } from './format';

describe('rupees: exact decimal strings in Indian grouping', () => {
  it.each([
    ['0', '₹0.00'],
    ['12.5', '₹12.50'],
    ['-1234567.891', '−₹12,34,567.89'],
    ['100000', '₹1,00,000.00'],
    ['999', '₹999.00'],
  ])('%s → %s', (input, shown) => expect(rupees(input)).toBe(shown));
  it('shows a dash for nothing and passes through what is not a number', () => {
    expect(rupees(null)).toBe('—');
    expect(rupees('n/a')).toBe('n/a');
  });
  it('signOf reads the sign without parsing a float', () => {
    expect([signOf('-0.00'), signOf('0'), signOf('-3'), signOf('0.01')]).toEqual([0, 0, -1, 1]);
  });
});

describe('greek: three significant digits, so a small net greek is not shown as 0', () => {
  it.each([
    [-0.0041234, '-0.00412'],
    [-41.56789, '-41.6'],
    [1234.5, '1230'],
    [0, '0'],
    [null, '—'],
  ])('%s → %s', (input, shown) => expect(greek(input)).toBe(shown));
});
