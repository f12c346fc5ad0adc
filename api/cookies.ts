/** Request cookies as a plain map (csrf-csrf reads req.cookies); malformed pairs are skipped. */
import type { NextFunction, Request, Response } from 'express';

export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    try {
      out[name] ??= decodeURIComponent(part.slice(eq + 1).trim());
    } catch {
      // a broken percent-escape: not a cookie we set
    }
  }
  return out;
}

export function cookies(req: Request, _res: Response, next: NextFunction): void {
  (req as Request & { cookies: Record<string, string> }).cookies = parseCookies(req.headers.cookie);
  next();
}
