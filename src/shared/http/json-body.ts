import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { RawServerDefault } from 'fastify';
import { ApiError } from '../errors/api-error.js';

/**
 * Deeper than any body of the gateway needs (a batch item with its attachments is 4 levels) and
 * far below what recursive code downstream (class-transformer, validation, screening) survives:
 * at about 2,000 levels they ran out of stack and answered 500.
 */
export const MAX_JSON_DEPTH = 32;

/** Methods whose body is optional: a client library that always sends Content-Type: application/json may send none. */
const BODY_OPTIONAL = new Set(['DELETE', 'OPTIONS']);

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;

/**
 * The JSON parser of both planes: Fastify's own (which refuses `__proto__` and `constructor`
 * pollution), after a nesting-depth check, and with an empty body allowed where a body is optional.
 */
export function registerJsonBodyParser(app: NestFastifyApplication, bodyLimit: number): void {
  const parse = app.getHttpAdapter().getInstance().getDefaultJsonParser('error', 'error');
  app.useBodyParser<RawServerDefault>('application/json', { bodyLimit }, (request, body, done) => {
    if (body.length === 0 && BODY_OPTIONAL.has(request.method)) {
      done(null, undefined);
      return;
    }
    if (nestedDeeperThan(body, MAX_JSON_DEPTH)) {
      const problem = `is nested deeper than ${MAX_JSON_DEPTH} levels`;
      done(ApiError.badRequest('The JSON body is nested too deeply', [{ field: 'body', problem }], 'MALFORMED_BODY'), undefined);
      return;
    }
    const text = body.toString();
    // PostgreSQL's text cannot hold U+0000: refused here, naming the field, rather than failing the
    // write with a 500. A batch's items are judged one by one (a bad item never fails the rest).
    if (!NUL_ESCAPE.test(text) || request.routeOptions.url?.endsWith('/batch')) return parse(request, text, done);
    parse(request, text, (error: Error | null, value?: unknown) => {
      const field = error ? null : nulPath(value);
      if (field !== null) return done(ApiError.badRequest('Validation failed', [{ field, problem: NUL_PROBLEM }]), undefined);
      done(error, value);
    });
  });
}

/** JSON can carry U+0000 only escaped (a raw control character is invalid JSON). */
const NUL_ESCAPE = /\\u0000/i;
export const NUL_PROBLEM = 'must not contain the NUL character (U+0000)';

/** The path (`a.b.0.c`) of the first string or key holding U+0000 in a parsed body, or null. */
export function nulPath(value: unknown, path = ''): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path || 'body' : null;
  if (value === null || typeof value !== 'object') return null;
  for (const [key, child] of Object.entries(value)) {
    const at = path ? `${path}.${key}` : key;
    if (key.includes('\u0000')) return at;
    const found = nulPath(child, at);
    if (found !== null) return found;
  }
  return null;
}

/**
 * Counts brackets outside strings, byte by byte (UTF-8 continuation bytes are never ASCII, so
 * bytes suffice), skipping string contents with indexOf. Malformed JSON is left to the parser.
 */
export function nestedDeeperThan(json: Buffer, limit: number): boolean {
  let depth = 0;
  for (let i = 0; i < json.length; i++) {
    const byte = json[i];
    if (byte === QUOTE) {
      i = endOfString(json, i);
      if (i < 0) return false;
    } else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) {
      if (++depth > limit) return true;
    } else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
      depth--;
    }
  }
  return false;
}

/** Index of the quote that closes the string opening at `start`, or -1 when it never closes. */
function endOfString(json: Buffer, start: number): number {
  let end = json.indexOf(QUOTE, start + 1);
  while (end > 0) {
    let backslashes = 0;
    while (json[end - 1 - backslashes] === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return end;
    end = json.indexOf(QUOTE, end + 1);
  }
  return -1;
}
