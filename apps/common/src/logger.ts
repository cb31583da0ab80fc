import { pino, type Logger } from 'pino';
import type { LoggerService } from '@nestjs/common';

/** Structured JSON logs on stderr (stdout stays free for a CLI's own output); level from LOG_LEVEL. */
export function createLogger(service: string, bindings: Record<string, unknown> = {}): Logger {
  return pino({ name: service, level: process.env.LOG_LEVEL ?? 'info', base: { service, ...bindings } }, pino.destination(2));
}

/** Routes Nest's own log lines into pino. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly pino: Logger) {}
  log(message: unknown, context?: string) {
    this.pino.info({ context }, String(message));
  }
  error(message: unknown, trace?: string, context?: string) {
    this.pino.error({ context, trace }, String(message));
  }
  warn(message: unknown, context?: string) {
    this.pino.warn({ context }, String(message));
  }
  debug(message: unknown, context?: string) {
    this.pino.debug({ context }, String(message));
  }
  verbose(message: unknown, context?: string) {
    this.pino.trace({ context }, String(message));
  }
}
