import { LRUCache } from 'lru-cache';

/**
 * A compact list of attack signatures in the spirit of CrowdSec's http-sqli-probing,
 * http-xss-probing and http-path-traversal-probing scenarios (crowdsecurity/hub) and the
 * OWASP CRS: each pattern needs the syntax of an attack, not just a keyword, because record
 * fields carry free Vietnamese text. Matched after URL-decoding (twice, for double encoding).
 */
export type SignatureKind = 'sql-injection' | 'xss' | 'path-traversal' | 'code-injection';

const SIGNATURES: ReadonlyArray<[SignatureKind, RegExp]> = [
  ['sql-injection', /\bunion\b[\s(]{1,10}(?:all\s+)?select\b/i],
  ['sql-injection', /'\s*(?:or|and)\s+'?\w+'?\s*(?:=|like)\s*'?\w*/i],
  ['sql-injection', /\b(?:or|and)\s+\d+\s*=\s*\d+\s*(?:--|#|\/\*)/i],
  ['sql-injection', /;\s*(?:drop|truncate|alter)\s+(?:table|database|schema)\b/i],
  ['sql-injection', /\b(?:pg_sleep|sleep|benchmark)\s*\(\s*\d/i],
  ['sql-injection', /\bwaitfor\s+delay\s+'/i],
  ['sql-injection', /\b(?:information_schema|pg_catalog|xp_cmdshell)\b/i],
  ['xss', /<\s*\/?\s*script\b/i],
  ['xss', /\bjavascript\s*:/i],
  ['xss', /<[^>]*\bon(?:error|load|mouseover|focus|click|toggle)\s*=/i],
  ['xss', /<\s*(?:iframe|object|embed)\b/i],
  ['xss', /\bdocument\s*\.\s*(?:cookie|domain|location)\b/i],
  ['path-traversal', /(?:^|[/\\])\.\.(?:[/\\]|$)/],
  ['path-traversal', /\/etc\/(?:passwd|shadow|hosts)\b|\/proc\/self\/|\b(?:boot|win)\.ini\b|c:\\windows\\/i],
  ['path-traversal', /\u0000/],
  ['code-injection', /\$\{\s*(?:jndi|env|sys|java|lower|upper)\s*:/i],
  ['code-injection', /\$\(\s*(?:curl|wget|bash|sh|cat|id|whoami)\b|`\s*(?:curl|wget|bash|id|whoami)\b/i],
];

export interface SignatureMatch {
  kind: SignatureKind;
  /** Where: 'path', 'query', or the JSON path of a body field. */
  where: string;
}

/**
 * Every signature above needs at least one of these characters or words, so a string with none
 * of them (most record text: names, dates, document numbers) skips the full scan. `%` sends
 * URL-encoded text on to be decoded. Keep it in step with SIGNATURES when adding one.
 */
const PREFILTER = /['=;(<`%\u0000]|\.\.|\$[{(]|union|select|information_schema|pg_catalog|xp_cmdshell|document|javascript|\/etc\/|\/proc\/|\.ini|:\\/i;

export function matchSignature(text: string): SignatureKind | null {
  if (!PREFILTER.test(text)) return null;
  for (const form of decodedForms(text)) {
    for (const [kind, pattern] of SIGNATURES) if (pattern.test(form)) return kind;
  }
  return null;
}

/**
 * URLs already scanned, and what was found: a polling consumer asks for the same URL again and
 * again, and its query (`limit=100`: an `=`) always passes the prefilter to the full scan.
 */
const scannedUrls = new LRUCache<string, { match: SignatureMatch | null }>({ max: 1000 });

/** The path and query string of a request URL. */
export function scanUrl(url: string): SignatureMatch | null {
  if (url.length > 1000) return scanUrlNow(url);
  let scanned = scannedUrls.get(url);
  if (!scanned) scannedUrls.set(url, (scanned = { match: scanUrlNow(url) }));
  return scanned.match;
}

function scanUrlNow(url: string): SignatureMatch | null {
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  const pathKind = matchSignature(path);
  if (pathKind) return { kind: pathKind, where: 'path' };
  if (q >= 0) {
    const queryKind = matchSignature(url.slice(q + 1).replace(/\+/g, ' '));
    if (queryKind) return { kind: queryKind, where: 'query' };
  }
  return null;
}

const MAX_STRINGS = 20_000;

/** Every string (keys too) of a parsed JSON or form body, up to a bound. Buffers are not scanned. */
export function scanBody(body: unknown): SignatureMatch | null {
  if (body === null || body === undefined || Buffer.isBuffer(body)) return null;
  let budget = MAX_STRINGS;
  const walk = (value: unknown, where: string, depth: number): SignatureMatch | null => {
    if (budget-- <= 0 || depth > 32) return null;
    if (typeof value === 'string') {
      const kind = matchSignature(value);
      return kind ? { kind, where } : null;
    }
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const hit = walk(value[i], `${where}[${i}]`, depth + 1);
        if (hit) return hit;
      }
    } else if (value && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) {
        const keyKind = matchSignature(key);
        if (keyKind) return { kind: keyKind, where: `${where}.${key}` };
        const hit = walk(item, `${where}.${key}`, depth + 1);
        if (hit) return hit;
      }
    }
    return null;
  };
  return walk(body, 'body', 0);
}

function decodedForms(text: string): string[] {
  if (!text.includes('%')) return [text];
  const once = safeDecode(text);
  const twice = once.includes('%') ? safeDecode(once) : once;
  return twice === once ? [text, once] : [text, once, twice];
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text.replace(/%([0-9a-f]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  }
}
