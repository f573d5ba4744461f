/**
 * A compact list of attack signatures in the spirit of CrowdSec's http-sqli-probing,
 * http-xss-probing and http-path-traversal-probing scenarios (crowdsecurity/hub) and the
 * OWASP CRS: each pattern needs the syntax of an attack, not just a keyword.
 *
 * Patterns are matched against normalised forms of the input (see normalisedForms): URL-decoded
 * once and twice, SQL comments removed, runs of blanks folded to one space, lower case. Evasions
 * such as `'/**\/AnD/**\/'1'='1`, `%2527`, `%09` / `%0a` / `+` for spaces or `SeLeCt` therefore
 * meet the same patterns as the plain payload.
 */
export type SignatureKind = 'sql-injection' | 'xss' | 'path-traversal' | 'code-injection';

const SIGNATURES: ReadonlyArray<[SignatureKind, RegExp]> = [
  ['sql-injection', /\bunion\b[\s(]{1,10}(?:all\s+|distinct\s+)?select\b/],
  // A quote closing a string, then a logical operator and a comparison: x' or '1'='1, G1') or ('x'='x.
  ['sql-injection', /['"]\s*\)*\s*(?:or|and|xor|\|\||&&)(?:\s+|\s*[('"])\s*\(*\s*['"]?\w+['"]?\s*(?:=|<>|!=|<|>|\blike\b|\brlike\b|\bregexp\b|\bbetween\b)/],
  // A quote closing a string, then a subquery or function call: G1'||(select chr(65))||', x' and (select ….
  ['sql-injection', /['"]\s*\)*\s*(?:\|\||&&|\+|\bor\b|\band\b)\s*\(*\s*(?:select\b|(?:chr|char|concat|ascii|substr|substring|cast|convert|extractvalue|updatexml|if|sleep)\s*\(|case\s+when\b)|['"]\s*\)*\s*\(\s*select\b/],
  ['sql-injection', /['"]\s*\|\|.{0,200}?\|\|\s*['"]/],
  // A quote closing a string, then a comment ending the query: admin'--, x')#.
  ['sql-injection', /['"]\s*\)*\s*;?\s*(?:--|#)[\s-]*$/],
  ['sql-injection', /\b(?:or|and)\s+\d+\s*=\s*\d+\s*(?:--|#|\/\*)/],
  // sqlmap's boolean tests compare a random number of several digits with itself: and 5678=5678.
  ['sql-injection', /\b(?:or|and)\s+(\d{3,})\s*=\s*\1\b/],
  ['sql-injection', /['"]\s*\)*\s*(?:order|group)\s+by\s+\d+/],
  ['sql-injection', /\b(?:or|and)\s*\(\s*select\b/],
  ['sql-injection', /;\s*(?:drop|truncate|alter)\s+(?:table|database|schema)\b|;\s*(?:exec(?:ute)?|declare|shutdown)\b|;\s*(?:insert\s+into|delete\s+from|update\s+\w+\s+set)\b|;\s*select\b[^;]{1,100}\bfrom\b/],
  ['sql-injection', /\b(?:pg_sleep|sleep|benchmark|randomblob)\s*\(\s*\d|\bdbms_pipe\s*\.\s*receive_message\b|\bwaitfor\s+delay\s+'/],
  ['sql-injection', /\b(?:information_schema|pg_catalog|pg_shadow|xp_cmdshell|sysobjects|sqlite_master)\b|@@(?:version|datadir|hostname)\b|\b(?:load_file)\s*\(|\binto\s+(?:out|dump)file\b/],
  ['xss', /<\s*\/?\s*script\b/],
  ['xss', /\b(?:java|vb)script\s*:|\bdata\s*:\s*text\/html\b/],
  ['xss', /<[a-z!/][^>]*\bon[a-z]{3,}\s*=/],
  ['xss', /<\s*(?:iframe|object|embed|svg|math|base|meta|link)\b/],
  ['xss', /\bdocument\s*\.\s*(?:cookie|domain|location|write)\b/],
  ['path-traversal', /(?:^|[/\\])\.\.(?:[/\\]|$)|\.\.(?:\u00c0\u00af|\u00c1\u009c|;\/)/],
  ['path-traversal', /\/etc\/(?:passwd|shadow|hosts)\b|\/proc\/self\/|\b(?:boot|win)\.ini\b|c:\\windows\\/],
  ['path-traversal', /\u0000/],
  ['code-injection', /\$\{\s*(?:jndi|env|sys|java|lower|upper)\s*:/],
  ['code-injection', /\$\(\s*(?:curl|wget|bash|sh|cat|id|whoami)\b|`\s*(?:curl|wget|bash|id|whoami)\b/],
];

/**
 * Every signature above needs at least one of these characters or words in some decoded form of
 * the input, so a string with none of them (most text: names, dates, document numbers) skips
 * normalisation and the full scan; the fullwidth quote and angle brackets fold to ASCII. Keep it
 * in step with SIGNATURES when adding one.
 */
const PREFILTER = /['"=;(<`\u0000\uff02\uff07\uff1c]|\.\.|\$[{(]|union|select|information_schema|pg_catalog|pg_shadow|xp_cmdshell|sysobjects|sqlite_master|@@|outfile|dumpfile|document|script|data\s*:|\/etc\/|\/proc\/|\.ini|:\\/i;

export function matchSignature(text: string): SignatureKind | null {
  const decoded = decodedForms(text);
  if (!decoded.some((form) => PREFILTER.test(form))) return null;
  for (const form of canonicalForms(decoded)) {
    for (const [kind, pattern] of SIGNATURES) if (pattern.test(form)) return kind;
  }
  return null;
}

/**
 * Characters that no strict format of the gateway admits (codes, dates, timestamps, UUIDs,
 * enumerations, cursors, numbers are all made of letters, digits and `_ . : + -`), and that SQL
 * and script injection cannot do without: quotes, statement and comment delimiters, pipes,
 * comparisons, tag brackets, escapes, template openers.
 */
const METACHARACTERS = /['"`;|=\\]|--|\/\*|\$\{/;
const SCRIPT_METACHARACTERS = /[<>]/;
/** What every strict format is made of: a value of these characters only is never a probe by itself. */
const PLAIN_TOKEN = /^[A-Za-z0-9_.:+-]*$/;

/**
 * A value that must fit a strict format (a code, a date, an identifier): a signature, or, when it
 * is not even made of the characters such formats use, SQL or script metacharacters in any of its
 * decoded forms. `O'Brien` in a code field is no typing error but a probe; `57 N02` is only invalid.
 */
export function matchStrictValue(text: string): { kind: SignatureKind; metacharacters: boolean } | null {
  const kind = matchSignature(text);
  if (kind) return { kind, metacharacters: false };
  if (PLAIN_TOKEN.test(text)) return null;
  for (const form of decodedForms(text)) {
    if (SCRIPT_METACHARACTERS.test(form)) return { kind: 'xss', metacharacters: true };
    if (METACHARACTERS.test(form)) return { kind: 'sql-injection', metacharacters: true };
  }
  return null;
}

/**
 * The forms an input is matched in: as received and URL-decoded (once, and again for double
 * encoding), each canonicalised.
 */
export function normalisedForms(text: string): string[] {
  return canonicalForms(decodedForms(text));
}

function canonicalForms(decoded: string[]): string[] {
  return decoded.length === 1 ? [canonical(decoded[0])] : [...new Set(decoded.map(canonical))];
}

function decodedForms(text: string): string[] {
  if (!text.includes('%')) return [text];
  const once = percentDecode(text);
  const twice = once.includes('%') ? percentDecode(once) : once;
  return twice === once ? [text, once] : [text, once, twice];
}

/**
 * One round of URL decoding that never fails: `%XX` and IIS-style `%uXXXX` escapes; a `%` that
 * starts no escape is dropped (sqlmap's `percentage` tamper writes `%S%E%L%E%C%T`).
 */
function percentDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text
      .replace(/%u([0-9a-f]{4})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)))
      .replace(/%([0-9a-f]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)))
      .replace(/%/g, '');
  }
}

/**
 * Fullwidth look-alikes folded to ASCII; MySQL versioned comments opened (`/*!50000select*\/`
 * runs its content) and every other block comment turned into a space; a `#` or `--` comment
 * running to a line end turned into a space (sqlmap's space2hash, space2dash); every run of
 * blanks (tab, line feed, no-break space…) one space; lower case.
 */
function canonical(form: string): string {
  let text = form;
  if (/[\uff00-\uffef]/.test(text)) text = text.normalize('NFKC');
  if (text.includes('/*')) text = text.replace(/\/\*!\d*([\s\S]*?)\*\//g, ' $1 ').replace(/\/\*[\s\S]*?\*\//g, ' ');
  if (text.includes('\n')) text = text.replace(/(?:#|--)[^\n]*\n/g, ' ');
  return text.replace(/\s+/g, ' ').toLowerCase();
}

/** At most `max` characters (whole code points) of an input, for evidence: enough to judge it, bounded in size. */
export function truncateInput(text: string, max = 200): string {
  if (text.length <= max) return text;
  const points = Array.from(text);
  return points.length <= max ? text : `${points.slice(0, max).join('')}…`;
}
