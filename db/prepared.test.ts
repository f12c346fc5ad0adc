import { preparedStatement } from './prepared';

describe('preparedStatement', () => {
  it('gives pg a named query config per call', () => {
    const s = preparedStatement('test-prepared-one', 'SELECT $1::int AS n');
    expect(s.with([7])).toEqual({ name: 'test-prepared-one', text: 'SELECT $1::int AS n', values: [7] });
  });

  it('takes a second definition of a name with the same text', () => {
    preparedStatement('test-prepared-same', 'SELECT 1');
    expect(() => preparedStatement('test-prepared-same', 'SELECT 1')).not.toThrow();
  });

  it('refuses a name defined with another text, naming it', () => {
    preparedStatement('test-prepared-two', 'SELECT 1');
    expect(() => preparedStatement('test-prepared-two', 'SELECT 2')).toThrow(
      "prepared statement 'test-prepared-two' defined with two texts",
    );
  });
});
