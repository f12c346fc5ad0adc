/**
 * The OpenAPI 3.1 document, built from the route table's own zod schemas (zod's JSON Schema
 * output is draft 2020-12, the dialect OpenAPI 3.1 uses). Served at /api/v1/openapi.json.
 */
import { STATUS_CODES } from 'node:http';
import { z } from 'zod';
import type { RouteSpec, RouteTable } from './route-table';

type Schema = Record<string, unknown>;

const jsonSchema = (s: z.ZodType, io: 'input' | 'output' = 'input'): Schema => {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(s, { io, unrepresentable: 'any' }) as Schema;
  return rest;
};

const PROBLEM: Schema = {
  type: 'object',
  required: ['type', 'title', 'status', 'code'],
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    code: { type: 'string' },
    detail: { type: 'string' },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        required: ['field', 'message'],
        properties: { field: { type: 'string' }, message: { type: 'string' } },
      },
    },
  },
};

/** `/t/:slug/api/v1/orders/:tag` → `/t/{slug}/api/v1/orders/{tag}`. */
export const openApiPath = (expressPath: string) => expressPath.replace(/:([A-Za-z_]\w*)/g, '{$1}');

function parameters(spec: RouteSpec<z.ZodType, z.ZodType, z.ZodType>): Schema[] {
  const out: Schema[] = [];
  for (const name of spec.path.match(/:([A-Za-z_]\w*)/g) ?? []) {
    const key = name.slice(1);
    const shape = spec.params instanceof z.ZodObject ? (spec.params.shape as Record<string, z.ZodType>) : {};
    const schema = key === 'slug' ? { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{1,38}[a-z0-9]$' } : shape[key];
    out.push({
      name: key,
      in: 'path',
      required: true,
      schema: schema instanceof z.ZodType ? jsonSchema(schema) : (schema ?? { type: 'string' }),
    });
  }
  if (spec.query instanceof z.ZodObject)
    for (const [key, s] of Object.entries(spec.query.shape as Record<string, z.ZodType>))
      out.push({ name: key, in: 'query', required: !s.safeParse(undefined).success, schema: jsonSchema(s) });
  return out;
}

function operation(spec: RouteSpec<z.ZodType, z.ZodType, z.ZodType>): Schema {
  const errors = new Set<number>([...(spec.errors ?? []), 429]);
  if (spec.access !== 'public') errors.add(401);
  if (Array.isArray(spec.access)) errors.add(403);
  if (spec.path.startsWith('/t/')) errors.add(404);
  if (spec.body || spec.query || spec.params) errors.add(400);
  const responses: Schema = {
    [String(spec.status ?? 200)]: { description: 'success', content: { 'application/json': { schema: {} } } },
  };
  for (const s of [...errors].sort())
    responses[String(s)] = {
      description: STATUS_CODES[s] ?? 'error',
      content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
    };
  return {
    summary: spec.summary,
    tags: [spec.tag],
    operationId:
      spec.method + openApiPath(spec.path).replace(/[^A-Za-z0-9]+(.)?/g, (_m, c?: string) => (c ?? '').toUpperCase()),
    'x-roles': spec.access,
    ...(spec.access === 'public' ? { security: [] } : {}),
    parameters: parameters(spec),
    ...(spec.body
      ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(spec.body) } } } }
      : {}),
    responses,
  };
}

export function openApiDocument(table: RouteTable): Schema {
  const paths: Record<string, Schema> = {};
  for (const spec of table.specs) (paths[openApiPath(spec.path)] ??= {})[spec.method] = operation(spec);
  return {
    openapi: '3.1.0',
    info: {
      title: 'Quantsentinel API',
      version: '1.0.0',
      description:
        'Tenant routes live under /t/{slug}/api/v1. Authenticate with `Authorization: Bearer <token>` or the ' +
        'qs_session cookie (POST /api/v1/auth/login); cookie-authenticated writes also send X-CSRF-Token ' +
        '(GET /t/{slug}/api/v1/csrf). `x-roles` on each operation lists the roles that may call it.',
    },
    components: {
      schemas: { Problem: PROBLEM },
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer' },
        cookie: { type: 'apiKey', in: 'cookie', name: 'qs_session' },
      },
    },
    security: [{ bearer: [] }, { cookie: [] }],
    paths,
  };
}
