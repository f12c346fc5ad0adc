/**
 * What our namespace needs on a Temporal we did not start (a self-hosted cluster, Temporal
 * Cloud): the namespace itself and the custom search attributes of contracts/. `checkTemporal`
 * reads; `setupTemporal` creates what is missing, idempotently. On Temporal Cloud neither can be
 * created through the frontend API, so setup only checks and names the `tcld` commands.
 */
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { temporal } from '@temporalio/proto';
import { SEARCH_ATTRIBUTES } from '../contracts/search-attributes';
import type { Config } from './config';
import { temporalConnectionOptions } from './temporal-connection';

type WorkflowService = temporal.api.workflowservice.v1.WorkflowService;
type OperatorService = temporal.api.operatorservice.v1.OperatorService;
const IVT = temporal.api.enums.v1.IndexedValueType;
type AttributeType = (typeof SEARCH_ATTRIBUTES)[string];

/** Both the client's Connection and the worker's NativeConnection have these. */
export interface TemporalServices {
  workflowService: Pick<WorkflowService, 'describeNamespace' | 'registerNamespace'>;
  operatorService: Pick<OperatorService, 'listSearchAttributes' | 'addSearchAttributes'>;
}

const INDEXED: Record<AttributeType, temporal.api.enums.v1.IndexedValueType> = {
  Keyword: IVT.INDEXED_VALUE_TYPE_KEYWORD,
  KeywordList: IVT.INDEXED_VALUE_TYPE_KEYWORD_LIST,
  Text: IVT.INDEXED_VALUE_TYPE_TEXT,
  Int: IVT.INDEXED_VALUE_TYPE_INT,
  Datetime: IVT.INDEXED_VALUE_TYPE_DATETIME,
};
const TYPE_NAME = new Map(Object.entries(INDEXED).map(([name, v]) => [v, name]));

export interface TemporalSetupState {
  namespaceExists: boolean;
  /** name → wanted type, for attributes the namespace lacks. */
  missing: Record<string, AttributeType>;
  /** Attributes registered with another type: setup cannot fix these (a type never changes). */
  wrongType: Array<{ name: string; want: string; have: string }>;
}

export const isCloudAddress = (address: string) => /\.tmprl\.cloud:\d+$/.test(address);

// gRPC status codes (@grpc/grpc-js is not a direct dependency).
const status = { NOT_FOUND: 5, ALREADY_EXISTS: 6 } as const;
const grpcCode = (err: unknown) => (err as { code?: number }).code;

export async function checkTemporal(services: TemporalServices, namespace: string): Promise<TemporalSetupState> {
  let customAttributes: Record<string, temporal.api.enums.v1.IndexedValueType> | null | undefined;
  try {
    await services.workflowService.describeNamespace({ namespace });
    // NOT_FOUND here too for a namespace just registered, until the frontend's cache refreshes.
    ({ customAttributes } = await services.operatorService.listSearchAttributes({ namespace }));
  } catch (err) {
    if (grpcCode(err) !== status.NOT_FOUND) throw err;
    return { namespaceExists: false, missing: { ...SEARCH_ATTRIBUTES }, wrongType: [] };
  }
  const state: TemporalSetupState = { namespaceExists: true, missing: {}, wrongType: [] };
  for (const [name, want] of Object.entries(SEARCH_ATTRIBUTES)) {
    const have = customAttributes?.[name];
    if (have === undefined || have === null) state.missing[name] = want;
    else if (have !== INDEXED[want]) state.wrongType.push({ name, want, have: TYPE_NAME.get(have) ?? String(have) });
  }
  return state;
}

export const isReady = (s: TemporalSetupState) =>
  s.namespaceExists && Object.keys(s.missing).length === 0 && s.wrongType.length === 0;

/**
 * One line naming what is missing and the fix, or undefined when the namespace is ready.
 * Workers and `npm start` stop with it instead of crash-looping on "namespace not found".
 */
export function describeProblem(s: TemporalSetupState, namespace: string, address: string): string | undefined {
  if (isReady(s)) return undefined;
  const fix = isCloudAddress(address)
    ? `create it in Temporal Cloud (\`npx qs temporal setup\` prints the tcld commands)`
    : `run \`npx qs temporal setup\` (TEMPORAL_ADDRESS=${address}) once to create it`;
  if (!s.namespaceExists) return `Temporal namespace ${namespace} does not exist at ${address}: ${fix}`;
  if (s.wrongType.length)
    return (
      `Temporal namespace ${namespace} has search attributes of the wrong type ` +
      s.wrongType.map((w) => `${w.name} (${w.have}, needs ${w.want})`).join(', ') +
      ': remove them or use another namespace (TEMPORAL_NAMESPACE)'
    );
  return `Temporal namespace ${namespace} lacks the search attributes ${Object.keys(s.missing).join(', ')}: ${fix}`;
}

export interface SetupOptions {
  namespace: string;
  address: string;
  retentionDays: number;
  /** Temporal Cloud: check only (namespaces and attributes are created through tcld or the Cloud UI). */
  cloud?: boolean;
  say?: (line: string) => void;
}

/** Returns the lines still to act on (empty when the namespace is ready). */
export async function setupTemporal(services: TemporalServices, opts: SetupOptions): Promise<string[]> {
  const say = opts.say ?? (() => undefined);
  const { namespace } = opts;
  let state = await checkTemporal(services, namespace);
  if (opts.cloud) return cloudInstructions(state, namespace);

  if (!state.namespaceExists) {
    try {
      await services.workflowService.registerNamespace({
        namespace,
        workflowExecutionRetentionPeriod: msToTs(opts.retentionDays * 86_400_000),
        description: 'Quantsentinel',
      });
      say(`created namespace ${namespace} (retention ${opts.retentionDays} days)`);
    } catch (err) {
      if (grpcCode(err) !== status.ALREADY_EXISTS) throw err;
    }
    state = await waitFor(
      () => checkTemporal(services, namespace),
      (s) => s.namespaceExists,
    );
  } else say(`namespace ${namespace} exists`);

  const missing = Object.keys(state.missing);
  if (missing.length) {
    const searchAttributes = Object.fromEntries(missing.map((n) => [n, INDEXED[state.missing[n]]]));
    // A namespace just registered may not be in the frontend's cache yet: retry NOT_FOUND briefly.
    await waitFor(
      () =>
        services.operatorService.addSearchAttributes({ namespace, searchAttributes }).then(
          () => true,
          (err) => {
            if (grpcCode(err) === status.ALREADY_EXISTS) return true;
            if (grpcCode(err) === status.NOT_FOUND) return false;
            throw err;
          },
        ),
      (ok) => ok,
    );
    say(`registered search attributes ${missing.map((n) => `${n}=${state.missing[n]}`).join(', ')}`);
    state = await waitFor(
      () => checkTemporal(services, namespace),
      (s) => Object.keys(s.missing).length === 0,
    );
  } else say(`search attributes ${Object.keys(SEARCH_ATTRIBUTES).join(', ')} are registered`);

  const problem = describeProblem(state, namespace, opts.address);
  return problem ? [problem] : [];
}

function cloudInstructions(s: TemporalSetupState, namespace: string): string[] {
  if (!s.namespaceExists)
    return [
      `namespace ${namespace} is not visible with these credentials: create it in the Temporal Cloud UI or with ` +
        `\`tcld namespace create --namespace ${namespace} …\`, then run this again`,
    ];
  const lines = Object.entries(s.missing).map(
    ([name, type]) =>
      `tcld namespace search-attributes add --namespace ${namespace} --search-attribute "${name}=${type}"`,
  );
  for (const w of s.wrongType)
    lines.push(`${w.name} is ${w.have}; Quantsentinel needs ${w.want}: use another namespace`);
  return lines;
}

async function waitFor<T>(get: () => Promise<T>, done: (v: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await get();
    if (done(v) || Date.now() > deadline) return v;
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** The namespace is missing or incomplete: a configuration problem, not an outage (no retry helps). */
export class TemporalNotReadyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemporalNotReadyError';
  }
}

/**
 * Boot check: throws TemporalNotReadyError naming the fix; transient errors (Temporal restarting)
 * are retried for up to `patienceMs`, then rethrown.
 */
export async function assertTemporalReady(
  services: TemporalServices,
  namespace: string,
  address: string,
  patienceMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + patienceMs;
  for (;;) {
    let state: TemporalSetupState;
    try {
      state = await checkTemporal(services, namespace);
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 500));
      continue;
    }
    const problem = describeProblem(state, namespace, address);
    if (problem) throw new TemporalNotReadyError(problem);
    return;
  }
}

/** `npm start` against TEMPORAL_ADDRESS: one connection, the boot check, closed again. */
export async function assertExternalTemporalReady(config: Config): Promise<void> {
  const { address, namespace } = config.temporal;
  let connection: Connection;
  try {
    connection = await Connection.connect({ ...temporalConnectionOptions(config), connectTimeout: '10s' });
  } catch (err) {
    throw new TemporalNotReadyError(
      `cannot reach Temporal at ${address} (TEMPORAL_ADDRESS; TLS from TEMPORAL_TLS_CERT/KEY or TEMPORAL_API_KEY): ` +
        (err as Error).message,
    );
  }
  try {
    await assertTemporalReady(connection, namespace, address, 10_000);
  } finally {
    await connection.close();
  }
}
