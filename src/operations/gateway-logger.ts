import type { LoggerService } from '@nestjs/common';
import { pino, type DestinationStream, type Logger as Pino } from 'pino';

/**
 * The gateway's log: JSON lines on stdout (pino), one process-wide root per level, shared by both
 * planes, the operations listener and main.ts. Nest's own messages (`new Logger('X').log(...)`)
 * come through {@link PinoNestLogger}; each request is one `access` line (access-log.ts).
 *
 * What never goes into a line: tokens, Authorization or Cookie headers, passwords, request or
 * response bodies, and raw URLs (they can carry query values): requests are logged by their route
 * pattern. Nest messages are the gateway's own text, which already avoids secrets. An access line
 * costs ~5 µs; LOG_LEVEL=warn leaves them out.
 */
const roots = new Map<string, Pino>();

export function gatewayLog(level: string, destination?: DestinationStream): Pino {
  if (destination) return createRoot(level, destination);
  let root = roots.get(level);
  if (!root) roots.set(level, (root = createRoot(level)));
  return root;
}

function createRoot(level: string, destination?: DestinationStream): Pino {
  return pino(
    {
      level,
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      // No `redact`: it doubled the cost of an access line (~5 µs → ~10 µs here), and no line is
      // built from headers or bodies in the first place (request-observer.hook.ts picks its fields).
    },
    // Buffered writes: one write(2) per 4 KB of lines or per 200 ms, not one per line. The
    // synchronous write of every access line was ~6% of a cached pull's CPU (issue 19). Lines are
    // flushed synchronously when the process exits (pino's exit hook, an uncaught error included);
    // only a kill -9 or the OOM killer can lose the last 200 ms of lines. The audit log, not this
    // one, is the record of every call.
    destination ?? pino.destination({ dest: 1, sync: false, minLength: 4096, periodicFlush: 200 }),
  );
}

/** Nest's LoggerService over pino: `context` becomes a field, stacks go under `err`. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly pino: Pino) {}

  log(message: unknown, ...params: unknown[]): void {
    this.write('info', message, params);
  }

  error(message: unknown, ...params: unknown[]): void {
    // Nest passes (message, stack?, context?).
    const context = typeof params[params.length - 1] === 'string' && params.length >= 1 ? params.pop() : undefined;
    const stack = typeof params[0] === 'string' ? params[0] : undefined;
    this.pino.error({ context, ...(stack ? { stack } : {}) }, text(message));
  }

  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }

  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }

  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', message, params);
  }

  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  private write(level: 'info' | 'warn' | 'debug' | 'trace' | 'fatal', message: unknown, params: unknown[]): void {
    if (!this.pino.isLevelEnabled(level)) return;
    const context = typeof params[params.length - 1] === 'string' ? params[params.length - 1] : undefined;
    this.pino[level]({ context }, text(message));
  }
}

function text(message: unknown): string {
  if (typeof message === 'string') return message;
  if (message instanceof Error) return message.stack ?? message.message;
  return JSON.stringify(message);
}

/**
 * What `NestFactory.create(..., { logger })` takes: false when LOG_LEVEL is silent (no logger at
 * all, as before), else the pino-backed logger.
 */
export function nestLogger(config: { LOG_LEVEL: string }): LoggerService | false {
  return config.LOG_LEVEL === 'silent' ? false : new PinoNestLogger(gatewayLog(config.LOG_LEVEL));
}
