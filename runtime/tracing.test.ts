import { OTLP_ENDPOINT_VARIABLE, otlpEndpoint, tracingFromEnv } from './tracing';

describe('tracing configuration', () => {
  it('is off unless the OTLP endpoint is set, and names the variable when it is malformed', () => {
    expect(otlpEndpoint({})).toBeUndefined();
    expect(otlpEndpoint({ [OTLP_ENDPOINT_VARIABLE]: '  ' })).toBeUndefined();
    expect(tracingFromEnv('qs-test', {})).toBeUndefined();
    expect(otlpEndpoint({ [OTLP_ENDPOINT_VARIABLE]: 'http://collector:4318/' })).toBe('http://collector:4318');
    for (const bad of ['collector:4318', 'grpc://collector:4317', 'not a url'])
      expect(() => otlpEndpoint({ [OTLP_ENDPOINT_VARIABLE]: bad })).toThrow(
        new RegExp(`^${OTLP_ENDPOINT_VARIABLE}: expected an http\\(s\\) URL`),
      );
  });
});
