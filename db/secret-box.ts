/**
 * Secrets at rest: AES-256-GCM with a key the database never sees (QS_SECRETS_KEY). Each
 * ciphertext is one string `qs1:<key id>:<iv>:<tag>:<ciphertext>` (base64url), so a row names
 * the key that sealed it and keys can rotate: the first configured key seals, every configured
 * key opens. The additional data binds a ciphertext to its row and column (a sealed secret
 * copied to another tenant's row does not open there).
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { parseSecretsKeys } from '../runtime/config';

export interface KeyProvider {
  /** The key new secrets are sealed with. */
  current(): { id: string; key: Buffer };
  /** A configured key by id (current or retired). */
  byId(id: string): Buffer | undefined;
  ids(): string[];
}

/** Not secret: a digest that names a key in each ciphertext. */
export function keyId(key: Buffer): string {
  return createHash('sha256').update('qs-secrets-key-id\u0000').update(key).digest('hex').slice(0, 12);
}

export function staticKeyProvider(keys: readonly Buffer[]): KeyProvider {
  if (keys.length === 0) throw new Error('a key provider needs at least one key');
  const byId = new Map(keys.map((k) => [keyId(k), k]));
  const first = keys[0]!;
  return { current: () => ({ id: keyId(first), key: first }), byId: (id) => byId.get(id), ids: () => [...byId.keys()] };
}

/** The process's keys from QS_SECRETS_KEY (validated at boot by runtime/config.ts); null when unset. */
export function envKeyProvider(env: NodeJS.ProcessEnv = process.env): KeyProvider | null {
  const raw = env.QS_SECRETS_KEY;
  return raw ? staticKeyProvider(parseSecretsKeys(raw)) : null;
}

/** A ciphertext's key is not configured, or it does not open (wrong row, tampered). */
export class SecretUnreadableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretUnreadableError';
  }
}

const PREFIX = 'qs1';
const b64 = (b: Buffer) => b.toString('base64url');

export function seal(keys: KeyProvider, plaintext: string, aad: string): string {
  const { id, key } = keys.current();
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [PREFIX, id, b64(iv), b64(cipher.getAuthTag()), b64(ct)].join(':');
}

export function sealedKeyId(envelope: string): string {
  const parts = envelope.split(':');
  if (parts.length !== 5 || parts[0] !== PREFIX) throw new SecretUnreadableError('not a sealed secret');
  return parts[1]!;
}

export function open(keys: KeyProvider, envelope: string, aad: string): string {
  const id = sealedKeyId(envelope);
  const key = keys.byId(id);
  if (!key)
    throw new SecretUnreadableError(
      `sealed with key ${id}, which QS_SECRETS_KEY does not hold (configured: ${keys.ids().join(', ')})`,
    );
  const [, , iv, tag, ct] = envelope.split(':');
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv!, 'base64url'));
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag!, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ct!, 'base64url')), decipher.final()]).toString('utf8');
  } catch {
    throw new SecretUnreadableError(`a secret sealed with key ${id} does not open here (tampered or moved)`);
  }
}
