/**
 * How unit names are compared. Vietnamese writes the same name in several ways that mean one
 * unit: decomposed or composed Unicode, upper or lower case, the old or the new tone placement
 * ("Thanh Hoá" / "Thanh Hóa", "Khánh Hoà" / "Khánh Hòa", "Thuỷ" / "Thủy"), doubled spaces, and
 * dashes written as "-", "–" or "—". `unitKey` maps every such spelling to one key.
 */

/** The five tone marks (huyền, sắc, ngã, hỏi, nặng) as combining characters. */
const TONE_MARKS = /[\u0300\u0301\u0303\u0309\u0323]/g;
const DASHES = /\s*[-‐‑‒–—]\s*/g;

/**
 * NFC, case-folded, whitespace collapsed, dashes unified, and each word's tone mark moved to the
 * end of the word: where the mark sits inside a syllable stops mattering, which tone it is does not.
 */
export function unitKey(text: string): string {
  const words = text.normalize('NFC').toLowerCase().replace(DASHES, ' - ').trim().split(/\s+/);
  return words.map(toneAtEnd).join(' ');
}

function toneAtEnd(word: string): string {
  const decomposed = word.normalize('NFD');
  const marks = decomposed.match(TONE_MARKS) ?? [];
  return (decomposed.replace(TONE_MARKS, '') + marks.join('')).normalize('NFC');
}

/** Without any diacritic: for ranking suggestions of a name the register does not know. */
export function looseKey(text: string): string {
  return unitKey(text).normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/g, 'd');
}

/**
 * Prefixes that name a body of the unit rather than another unit: the Party committee (Tỉnh ủy,
 * Thành ủy, Đảng ủy), the People's Committee (UBND) and the kind of administrative unit (Tỉnh,
 * Thành phố). Written as keys; longest first so that "ubnd tỉnh" wins over "tỉnh".
 */
const PREFIXES = [
  'ủy ban nhân dân thành phố', 'ủy ban nhân dân tỉnh', 'ubnd thành phố', 'ubnd tp.', 'ubnd tp', 'ubnd tỉnh',
  'tỉnh ủy', 'thành ủy', 'đảng ủy', 'thành phố', 'tp.', 'tp', 'tỉnh',
].map(unitKey).sort((a, b) => b.length - a.length);

/** The key without one leading body/kind prefix, or null when the name carries none. */
export function withoutPrefix(key: string): string | null {
  for (const prefix of PREFIXES) {
    if (key.startsWith(`${prefix} `)) return key.slice(prefix.length + 1);
  }
  return null;
}

/**
 * The other tone placement of a name, generated: in an open syllable ending in "oa", "oe" or
 * "uy" (not after "q", where "u" belongs to the consonant) one convention marks the first vowel
 * (hòa, khỏe, thủy), the other the second (hoà, khoẻ, thuỷ); both are found in official texts.
 * Returns every spelling of the name other than itself, in NFC.
 */
export function tonePlacementVariants(name: string): string[] {
  const words = name.normalize('NFC').split(' ');
  let spellings = [''];
  for (const [n, word] of words.entries()) {
    const forms = wordForms(word);
    spellings = spellings.flatMap((s) => forms.map((f) => (n === 0 ? f : `${s} ${f}`)));
  }
  const original = name.normalize('NFC');
  return [...new Set(spellings)].filter((s) => s !== original);
}

const OPEN_PAIR = /^(.*?)([oO][aAeE]|[uU][yY])$/;

function wordForms(word: string): string[] {
  const decomposed = word.normalize('NFD');
  const marks = decomposed.match(TONE_MARKS) ?? [];
  if (marks.length !== 1) return [word];
  const base = decomposed.replace(TONE_MARKS, '').normalize('NFC');
  const pair = OPEN_PAIR.exec(base);
  if (!pair || /[qQ]$/.test(pair[1])) return [word];
  const [first, second] = [...pair[2]];
  const onFirst = `${pair[1]}${first}${marks[0]}${second}`.normalize('NFC');
  const onSecond = `${pair[1]}${first}${second}${marks[0]}`.normalize('NFC');
  return [onFirst, onSecond];
}

/** Levenshtein distance, for ranking suggestions (names are short: O(n·m) is fine). */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, n) => n);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}
