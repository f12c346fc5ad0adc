/** Structured JSON logs (pino) for every process; `component` names the part speaking. */
import pino, { Logger } from 'pino';

export type { Logger };

export function createLogger(component: string, level = process.env.QS_LOG_LEVEL ?? 'info'): Logger {
  return pino({ level, base: { component, pid: process.pid }, timestamp: pino.stdTimeFunctions.isoTime });
}
