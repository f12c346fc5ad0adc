import { ConfigError, loadConfig } from './config';

const problems = (env: NodeJS.ProcessEnv): string[] => {
  try {
    loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  return [];
};

describe('loadConfig', () => {
  it('gives the documented defaults', () => {
    const c = loadConfig({}, '/repo');
    expect(c.api.port).toBe(3000);
    expect(c.temporal).toMatchObject({
      address: '127.0.0.1:7233',
      external: false,
      namespace: 'quantsentinel',
      uiPort: 8233,
    });
    expect(c.db.adminUrl).toBeUndefined();
    expect(c.dataDir).toBe('/repo/.data');
    expect(c.liveTrading).toBe(false);
  });

  it('names the variable when a port is not a number', () => {
    expect(problems({ QS_API_PORT: 'abc' })).toEqual(['QS_API_PORT: must be a port number 1-65535, got "abc"']);
    expect(problems({ QS_TEMPORAL_PORT: '70000' })[0]).toMatch(/^QS_TEMPORAL_PORT: /);
  });

  it('names DATABASE_URL when it is malformed', () => {
    expect(problems({ DATABASE_URL: 'not a url' })[0]).toMatch(/^DATABASE_URL: is not a URL/);
    expect(problems({ DATABASE_URL: 'mysql://u:p@h/db' })[0]).toMatch(
      /^DATABASE_URL: must use the postgres:\/\/ scheme/,
    );
    expect(problems({ DATABASE_URL: 'postgres://u:p@h' })[0]).toMatch(/^DATABASE_URL: must name a host and a database/);
  });

  it('reports every bad variable at once', () => {
    expect(
      problems({ QS_API_PORT: 'x', QS_LIVE_TRADING: 'maybe', TEMPORAL_ADDRESS: 'nope' })
        .map((p) => p.split(':')[0])
        .sort(),
    ).toEqual(['QS_API_PORT', 'QS_LIVE_TRADING', 'TEMPORAL_ADDRESS']);
  });

  it('uses an external Temporal when TEMPORAL_ADDRESS is set', () => {
    expect(loadConfig({ TEMPORAL_ADDRESS: 'temporal.internal:7233' }).temporal).toMatchObject({
      address: 'temporal.internal:7233',
      external: true,
    });
  });

  it("links workflows to QS_TEMPORAL_UI_URL, else the dev server's UI, else (external Temporal) nowhere", () => {
    expect(loadConfig({}).temporal.uiUrl).toBe('http://127.0.0.1:8233');
    expect(loadConfig({ TEMPORAL_ADDRESS: 't:7233' }).temporal.uiUrl).toBeUndefined();
    expect(
      loadConfig({ TEMPORAL_ADDRESS: 't:7233', QS_TEMPORAL_UI_URL: 'https://ops.example/temporal/' }).temporal.uiUrl,
    ).toBe('https://ops.example/temporal');
    expect(problems({ QS_TEMPORAL_UI_URL: 'ops.example' })[0]).toMatch(/^QS_TEMPORAL_UI_URL: must be an http\(s\) URL/);
  });
});
