/** The subset of a pino logger this library uses. */
export interface P2PLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  debug(obj: object, msg?: string): void;
}

export const silentLogger: P2PLogger = {
  info() {},
  warn() {},
  debug() {},
};

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
