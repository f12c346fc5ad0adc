/**
 * OpenTelemetry tracing, off unless OTEL_EXPORTER_OTLP_ENDPOINT names a collector (the standard
 * variable: the base URL of an OTLP/HTTP receiver, e.g. http://otel-collector:4318; spans go to
 * <endpoint>/v1/traces as OTLP JSON). One provider per process, registered globally so the
 * context follows async calls: an API request's span is the parent of the workflow start (the
 * Temporal client interceptor puts it in the workflow's headers), the workflow's span and its
 * activities' spans (the worker interceptors) follow in the same trace.
 */
import http from 'node:http';
import { context, propagation, SpanKind, SpanStatusCode, trace, type Tracer } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { Resource } from '@opentelemetry/resources';
import { BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import type { ClientInterceptors } from '@temporalio/client';
import { OpenTelemetryWorkflowClientInterceptor } from '@temporalio/interceptors-opentelemetry';

export const OTLP_ENDPOINT_VARIABLE = 'OTEL_EXPORTER_OTLP_ENDPOINT';

export interface Tracing {
  readonly tracer: Tracer;
  readonly resource: Resource;
  readonly spanProcessor: SpanProcessor;
  /** Sends what is buffered and unregisters the provider (tests start and stop it). */
  shutdown(): Promise<void>;
}

/** The collector's base URL, or undefined when tracing is off; a malformed one names the variable. */
export function otlpEndpoint(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const raw = env[OTLP_ENDPOINT_VARIABLE]?.trim();
  if (!raw) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`${OTLP_ENDPOINT_VARIABLE}: expected an http(s) URL of an OTLP/HTTP receiver, got ${raw}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new Error(`${OTLP_ENDPOINT_VARIABLE}: expected an http(s) URL of an OTLP/HTTP receiver, got ${raw}`);
  return raw.replace(/\/+$/, '');
}

let current: Tracing | undefined;

/** Starts tracing for this process (once; a second call returns the first). */
export function startTracing(serviceName: string, endpoint: string): Tracing {
  if (current) return current;
  const resource = new Resource({ 'service.name': serviceName });
  const spanProcessor = new BatchSpanProcessor(new OTLPTraceExporter({ url: `${endpoint}/v1/traces` }), {
    scheduledDelayMillis: 1_000,
  });
  const provider = new NodeTracerProvider({ resource, spanProcessors: [spanProcessor] });
  provider.register(); // AsyncLocalStorage context and W3C trace-context propagation
  const tracing: Tracing = {
    tracer: trace.getTracer('quantsentinel'),
    resource,
    spanProcessor,
    shutdown: async () => {
      await provider.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
      current = undefined;
    },
  };
  current = tracing;
  return tracing;
}

/** Tracing from the environment for a process named `serviceName`; undefined when off. */
export function tracingFromEnv(serviceName: string, env: NodeJS.ProcessEnv = process.env): Tracing | undefined {
  const endpoint = otlpEndpoint(env);
  return endpoint ? startTracing(serviceName, endpoint) : undefined;
}

/** A Temporal client's interceptors: a workflow start carries the caller's span in its headers. */
export function tracingClientInterceptors(tracing: Tracing | undefined): ClientInterceptors | undefined {
  return tracing ? { workflow: [new OpenTelemetryWorkflowClientInterceptor({ tracer: tracing.tracer })] } : undefined;
}

/**
 * An HTTP handler whose requests each run inside a server span (a no-op span while tracing is
 * off), so whatever the handler starts — a workflow through the traced client — is its child.
 */
export function tracedRequests(
  handler: (req: http.IncomingMessage, res: http.ServerResponse) => void,
): (req: http.IncomingMessage, res: http.ServerResponse) => void {
  return (req, res) => {
    const tracer = trace.getTracer('quantsentinel');
    const parent = propagation.extract(context.active(), req.headers);
    const path = (req.url ?? '/').split('?')[0];
    const span = tracer.startSpan(
      `${req.method} ${path}`,
      { kind: SpanKind.SERVER, attributes: { 'http.request.method': req.method ?? '', 'url.path': path } },
      parent,
    );
    res.once('finish', () => {
      span.setAttribute('http.response.status_code', res.statusCode);
      if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    });
    context.with(trace.setSpan(parent, span), () => handler(req, res));
  };
}
