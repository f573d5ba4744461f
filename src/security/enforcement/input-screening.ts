import type { IncomingHttpHeaders } from 'node:http';
import { LRUCache } from 'lru-cache';
import { matchSignature, matchStrictValue, SignatureKind, truncateInput } from './attack-signatures.js';
import { NO_FREE_TEXT, type RouteScreening } from './screening-policy.js';

/**
 * Which inputs of a data-plane call are screened for attack probes, and how:
 * - headers the gateway has no use for (User-Agent, Referer, X-Forwarded-For…): signatures only;
 * - the URL path, query parameters, JSON keys and every value that must fit a strict format
 *   (codes, dates, identifiers, enumerations): a signature, or SQL / script metacharacters where
 *   the format admits none, is a probe (a client has no reason to send either there);
 * - free-text query parameters (names used as filters): signatures only, since names may hold
 *   quotes;
 * - free-text body fields that the route declares (names, descriptions… validated, then stored
 *   and compared only through SQL parameters): data, never screened. "Hướng dẫn về thẻ <script>"
 *   is a legitimate title; keeping it safe on display is the consumer's concern (the gateway
 *   answers JSON with its content type and `nosniff`).
 */
export interface SignatureMatch {
  kind: SignatureKind;
  /** Where, for the evidence: 'path', 'query.<name>', or the JSON path of a body field. */
  where: string;
  /** The field as the caller names it in a 400: 'path', the query parameter, or the body field's path. */
  field: string;
  /** For the caller: what was wrong with it. */
  problem: string;
  /** The input that tripped the screen, as received (URL-decoded once), truncated: for the officer. */
  input: string;
}

function found(kind: SignatureKind, metacharacters: boolean, where: string, field: string, input: string): SignatureMatch {
  const problem = metacharacters
    ? `does not fit its format and carries ${kind === 'xss' ? 'script' : 'SQL'} metacharacters`
    : `matches a ${kind} signature`;
  return { kind, where, field, problem, input: truncateInput(input) };
}

/**
 * URLs already scanned, and what was found, per route screening: a polling consumer asks for the
 * same URL again and again, and its query (`limit=100`: an `=`) is split and judged each time.
 */
const scannedUrls = new WeakMap<RouteScreening, LRUCache<string, { match: SignatureMatch | null }>>();

/** The path and query parameters of a request URL. */
export function scanUrl(url: string, route: RouteScreening = NO_FREE_TEXT): SignatureMatch | null {
  if (url.length > 1000) return scanUrlNow(url, route);
  let cache = scannedUrls.get(route);
  if (!cache) scannedUrls.set(route, (cache = new LRUCache({ max: 1000 })));
  let scanned = cache.get(url);
  if (!scanned) cache.set(url, (scanned = { match: scanUrlNow(url, route) }));
  return scanned.match;
}

function scanUrlNow(url: string, route: RouteScreening): SignatureMatch | null {
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  const pathKind = matchSignature(path);
  if (pathKind) return found(pathKind, false, 'path', 'path', safeDecode(path));
  if (q < 0) return null;
  for (const pair of url.slice(q + 1).split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const rawName = (eq < 0 ? pair : pair.slice(0, eq)).replace(/\+/g, ' ');
    const rawValue = (eq < 0 ? '' : pair.slice(eq + 1)).replace(/\+/g, ' ');
    const name = safeDecode(rawName);
    const nameHit = matchStrictValue(rawName);
    if (nameHit) return found(nameHit.kind, nameHit.metacharacters, `query.${name}`, name, name);
    // Matched on the raw (still encoded) value: the signatures decode it once and twice.
    const hit = route.freeTextQuery.has(name) ? signatureOnly(rawValue) : matchStrictValue(rawValue);
    if (hit) return found(hit.kind, hit.metacharacters, `query.${name}`, name, safeDecode(rawValue));
  }
  return null;
}

function signatureOnly(text: string): { kind: SignatureKind; metacharacters: false } | null {
  const kind = matchSignature(text);
  return kind ? { kind, metacharacters: false } : null;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * Headers a client may set that the gateway neither needs nor stores, so an attack pattern in one
 * is aimed at whatever might read it (a log viewer, a proxy, a careless application behind): what
 * sqlmap tries at its higher levels. Signatures only: browser-style values hold `;`, `(` and `=`.
 * Headers the gateway reads itself (Authorization, If-Match, Content-Type, X-File-Name) are checked
 * by their own parsers.
 */
const SCREENED_HEADERS = ['user-agent', 'referer', 'origin', 'cookie', 'x-forwarded-for', 'x-forwarded-host', 'x-real-ip', 'x-request-id'] as const;
/** Header values already judged: a client sends the same User-Agent on every call. */
const scannedHeaders = new LRUCache<string, { match: SignatureMatch | null }>({ max: 1000 });

export function scanHeaders(headers: IncomingHttpHeaders): SignatureMatch | null {
  for (const name of SCREENED_HEADERS) {
    const value = headers[name];
    if (value === undefined) continue;
    const text = Array.isArray(value) ? value.join(', ') : value;
    if (text.length > 1000) return judgeHeader(name, text);
    const key = `${name}:${text}`;
    let scanned = scannedHeaders.get(key);
    if (!scanned) scannedHeaders.set(key, (scanned = { match: judgeHeader(name, text) }));
    if (scanned.match) return scanned.match;
  }
  return null;
}

function judgeHeader(name: string, text: string): SignatureMatch | null {
  const kind = matchSignature(text);
  return kind ? found(kind, false, `header.${name}`, name, text) : null;
}

const MAX_STRINGS = 20_000;

/**
 * Every key and every strict value of a parsed JSON or form body, up to a bound; the free-text
 * fields the route declares are skipped when they hold text (a string, or strings in an array),
 * at the top level of the record. Buffers are not scanned. `where` is the JSON path ('body.…').
 */
export function scanBody(body: unknown, freeText: ReadonlySet<string> = NO_FREE_TEXT.freeTextBody): SignatureMatch | null {
  if (body === null || body === undefined || Buffer.isBuffer(body)) return null;
  let budget = MAX_STRINGS;
  const walk = (value: unknown, where: string, depth: number): SignatureMatch | null => {
    if (budget-- <= 0 || depth > 32) return null;
    if (typeof value === 'string') {
      const hit = matchStrictValue(value);
      return hit ? found(hit.kind, hit.metacharacters, where, where.replace(/^body\.?/, ''), value) : null;
    }
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const hit = walk(value[i], `${where}[${i}]`, depth + 1);
        if (hit) return hit;
      }
    } else if (value && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) {
        const keyHit = cleanKeys.has(key) ? null : judgeKey(key);
        if (keyHit) return found(keyHit.kind, keyHit.metacharacters, `${where}.${key}`, `${where}.${key}`.replace(/^body\.?/, ''), key);
        if (depth === 0 && freeText.has(key) && isText(item)) continue;
        const hit = walk(item, `${where}.${key}`, depth + 1);
        if (hit) return hit;
      }
    }
    return null;
  };
  return walk(body, 'body', 0);
}

/**
 * JSON keys found clean: a record's keys are the same few dozen names in every item, so each is
 * judged once. Bounded: a client inventing keys only makes it forget.
 */
const cleanKeys = new Set<string>();

function judgeKey(key: string): ReturnType<typeof matchStrictValue> {
  const hit = matchStrictValue(key);
  if (!hit && key.length <= 100) {
    if (cleanKeys.size >= 10_000) cleanKeys.clear();
    cleanKeys.add(key);
  }
  return hit;
}

function isText(value: unknown): boolean {
  return typeof value === 'string' || (Array.isArray(value) && value.every((v) => typeof v === 'string'));
}
