/**
 * Body parsing for routes that take JSON: a body of another type is a 415 (not an empty body),
 * any JSON value parses (so `null` reaches the route and gets "must be an object"), 256 kB at most.
 */
import express, { NextFunction, Request, Response } from 'express';

const JSON_TYPES = ['application/json', 'application/*+json'];

function requireJsonType(req: Request, _res: Response, next: NextFunction): void {
  // null: no body at all (the route says what is missing); false: a body of another type.
  if (req.is(JSON_TYPES) === false) {
    next(Object.assign(new Error('send the body as application/json'), { status: 415, type: 'content.type' }));
    return;
  }
  next();
}

export const jsonBody = [requireJsonType, express.json({ limit: '256kb', strict: false, type: JSON_TYPES })];

/** The parsed body when it is a JSON object; otherwise undefined (null, arrays, scalars, no body). */
export const objectBody = (body: unknown): Record<string, unknown> | undefined =>
  typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : undefined;
