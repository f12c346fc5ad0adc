import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { devServerDynamicConfigArgs, readDynamicConfig } from './temporal-dynamic-config';

function file(text: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qs-dc-'));
  const f = path.join(dir, 'dc.yaml');
  fs.writeFileSync(f, text);
  return f;
}

describe('Temporal dynamic config (one file for the clusters and the dev server)', () => {
  it('gives the dev server every setting of the deploy file, each value as JSON', () => {
    const args = devServerDynamicConfigArgs();
    const pairs = args.filter((_, i) => i % 2 === 1);
    expect(args.filter((_, i) => i % 2 === 0).every((a) => a === '--dynamic-config-value')).toBe(true);
    expect(pairs).toContain('system.enableActivityEagerExecution=true');
    expect(pairs).toContain('matching.numTaskqueueReadPartitions=1');
    expect(pairs).toContain('history.transferProcessorMaxPollRPS=250');
  });

  it('reads strings, numbers and booleans', () => {
    expect(readDynamicConfig(file('a.b:\n  - value: 5\nc.d:\n  - value: "x"\ne.f:\n  - value: false\n'))).toEqual({
      'a.b': 5,
      'c.d': 'x',
      'e.f': false,
    });
  });

  it.each([
    ['not a map', '- 1\n', /expected a map/],
    ['a bare value', 'a.b: 5\n', /a\.b must be a list of one \{ value/],
    ['two entries', 'a.b:\n  - value: 1\n  - value: 2\n', /a\.b must be a list of one/],
    ['constraints', 'a.b:\n  - value: 1\n    constraints: { namespace: x }\n', /a\.b has constraints/],
    ['broken YAML', 'a.b: [\n', /dc\.yaml: /],
  ])('refuses %s with an error naming the setting', (_, text, message) => {
    expect(() => readDynamicConfig(file(text))).toThrow(message);
  });
});
