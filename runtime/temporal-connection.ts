/** Connection options for Temporal, shared by clients and workers (TLS / API key from config). */
import fs from 'node:fs';
import type { Config } from './config';

export function temporalConnectionOptions(config: Config) {
  const { tls, apiKey, address } = config.temporal;
  return {
    address,
    tls: tls
      ? { clientCertPair: { crt: fs.readFileSync(tls.certPath), key: fs.readFileSync(tls.keyPath) } }
      : apiKey
        ? true
        : undefined,
    apiKey,
  };
}
