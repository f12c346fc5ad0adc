/**
 * Kite Connect v3 over HTTP: `Authorization: token api_key:access_token`, `X-Kite-Version: 3`,
 * form-encoded bodies, the JSON envelope {status:"success",data} / {status:"error",error_type,
 * message}. Failures are classified by what they mean for an order:
 * - never sent (connection refused, DNS, 429) → BrokerUnavailableError: safe to retry;
 * - a write that may have landed (timeout, reset, 5xx, non-JSON gateway page, or any error
 *   whose message says the request timed out — Kite answers some with HTTP 400) →
 *   AmbiguousOutcomeError: look the order up by tag before anything else;
 * - a definite refusal (Input/Order/Margin/Holding/Permission exceptions) → OrderRejectedError;
 * - TokenException → BrokerAuthError. Reads are idempotent: their failures are "unavailable".
 */
import {
  AmbiguousOutcomeError,
  BrokerAuthError,
  BrokerUnavailableError,
  OrderNotFoundError,
  OrderNotOpenError,
  OrderRejectedError,
} from '../errors';
import type { SlidingWindowLimiter } from '../rate-limiter';

export interface KiteHttpSettings {
  readonly baseUrl: string;
  readonly apiKey: string;
  readonly accessToken: string;
  /** Per request (default 7 s). */
  readonly timeoutMs?: number;
}

export type Form = Record<string, string | number | undefined>;

const NOT_SENT = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'UND_ERR_CONNECT_TIMEOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);
const TIMED_OUT = /timed?\s*-?\s*out|timeout/i;

export class KiteHttp {
  constructor(
    private readonly s: KiteHttpSettings,
    private readonly limiter: SlidingWindowLimiter,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {}

  async request<T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, form?: Form): Promise<T> {
    await this.limiter.acquire();
    const write = method !== 'GET';
    const body = form
      ? new URLSearchParams(
          Object.entries(form)
            .filter(([, v]) => v !== undefined)
            .map(([k, v]): [string, string] => [k, String(v)]),
        ).toString()
      : undefined;
    const what = `${method} ${path}`;
    let status: number;
    let text: string;
    try {
      const res = await this.fetchImpl(new URL(path, this.s.baseUrl), {
        method,
        headers: {
          'X-Kite-Version': '3',
          Authorization: `token ${this.s.apiKey}:${this.s.accessToken}`,
          ...(body !== undefined ? { 'Content-Type': 'application/x-www-form-urlencoded' } : {}),
        },
        body,
        signal: AbortSignal.timeout(this.s.timeoutMs ?? 7000),
      });
      status = res.status;
      text = await res.text();
    } catch (e) {
      const err = e as Error & { cause?: { code?: string }; code?: string };
      const code = err.cause?.code ?? err.code ?? err.name;
      const detail = `kite ${what}: ${err.name === 'TimeoutError' ? 'timed out' : err.message}${code ? ` (${code})` : ''}`;
      if (NOT_SENT.has(code ?? '')) throw new BrokerUnavailableError(detail, code);
      if (!write) throw new BrokerUnavailableError(detail, code);
      throw new AmbiguousOutcomeError(detail, code);
    }
    let env: { status?: string; data?: T; error_type?: string; message?: string };
    try {
      env = JSON.parse(text);
    } catch {
      const detail = `kite ${what}: HTTP ${status} without a JSON body`;
      if (status === 429) throw new BrokerUnavailableError(detail, 'HTTP_429');
      if (write && status >= 500) throw new AmbiguousOutcomeError(detail, `HTTP_${status}`);
      throw new BrokerUnavailableError(detail, `HTTP_${status}`);
    }
    if (env.status === 'success' && status < 400) return env.data as T;
    const type = env.error_type ?? 'GeneralException';
    const message = env.message ?? `HTTP ${status}`;
    const detail = `kite ${what}: ${type}: ${message}`;
    if (status === 429) throw new BrokerUnavailableError(detail, 'HTTP_429');
    if (type === 'TokenException' || status === 403) throw new BrokerAuthError(detail, type);
    if (
      TIMED_OUT.test(message) ||
      ['NetworkException', 'GeneralException', 'DataException'].includes(type) ||
      status >= 500
    ) {
      if (write) throw new AmbiguousOutcomeError(detail, type);
      throw new BrokerUnavailableError(detail, type);
    }
    if (status === 404 || /couldn'?t find|not found|does not exist/i.test(message))
      throw new OrderNotFoundError(detail, type);
    if (
      /cannot be (cancelled|canceled|modified)|already (completed|cancelled|canceled|rejected)|is not open/i.test(
        message,
      )
    )
      throw new OrderNotOpenError(detail, type);
    throw new OrderRejectedError(detail, type);
  }
}
