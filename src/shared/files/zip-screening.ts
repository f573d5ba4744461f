import zlib from 'node:zlib';
import { cfbMacroProblem } from './cfb-screening.js';
import type { ScreeningProblem } from './screening-problem.js';

/**
 * Screens a zip archive (OOXML .docx/.xlsx/.pptx, OpenDocument) before it is kept: no zip bomb,
 * no macros.
 *
 * Written here on node:zlib because no zip reader is among the dependencies, and the walk needs
 * little: the central directory, each entry's local header, and an inflate that is counted and
 * stopped. Everything read is bounds-checked against the buffer; nothing is trusted from the
 * archive that could make the walk itself loop or allocate (entry counts, offsets and sizes are
 * checked before use, inflated bytes are counted and thrown away, never kept — except the one small
 * part whose text is read, [Content_Types].xml, and embedded objects, within the same budget).
 *
 * Bombs: the declared total, then the real inflated total of every entry, must stay within
 * `maxInflatedBytes`; an entry must not inflate to more than it declares (a lying directory);
 * entries must not overlap (the "better zip bomb" points many entries at one compressed kernel);
 * a large entry must not be compressed beyond `maxRatio`. ZIP64, multi-disk and encrypted
 * archives are refused: Office never needs them for files within the upload limit.
 */
export interface ZipLimits {
  maxInflatedBytes: number;
  maxEntries: number;
  maxRatio: number;
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const ZIP64_LOCATOR = 0x07064b50;
/** Ratios are judged only for entries at least this large: a small, very regular part is harmless. */
const RATIO_FLOOR = 1024 * 1024;
const MAX_NESTING = 2;

interface Entry {
  name: string;
  flags: number;
  method: number;
  compressedSize: number;
  declaredSize: number;
  localOffset: number;
}

const refuse = (problem: string): ScreeningProblem => ({ code: 'FILE_ARCHIVE_REFUSED', problem });
const macros = (problem: string): ScreeningProblem => ({ code: 'FILE_MACROS_REFUSED', problem });

export function isZip(bytes: Buffer): boolean {
  return bytes.length >= 4 && bytes.readUInt32LE(0) === LOCAL;
}

/** The first reason to refuse the archive, or null when it may be kept. */
export async function zipProblem(bytes: Buffer, limits: ZipLimits, depth = 0): Promise<ScreeningProblem | null> {
  const entries = readCentralDirectory(bytes, limits);
  if (!Array.isArray(entries)) return entries;
  for (const entry of entries) {
    const problem = macroPartProblem(entry.name);
    if (problem) return problem;
  }
  const declared = entries.reduce((sum, e) => sum + e.declaredSize, 0);
  if (declared > limits.maxInflatedBytes) {
    return refuse(`would inflate to ${declared} bytes, more than the ${limits.maxInflatedBytes} allowed (a zip bomb?)`);
  }
  const ranges = [...entries].sort((a, b) => a.localOffset - b.localOffset);
  let budget = limits.maxInflatedBytes;
  let previousEnd = 0;
  for (const entry of ranges) {
    const data = entryData(bytes, entry);
    if (typeof data === 'string') return refuse(`entry ${entry.name} ${data}`);
    if (entry.localOffset < previousEnd) return refuse(`entry ${entry.name} overlaps another (a zip bomb?)`);
    previousEnd = data.end;
    const keep = entry.name === '[Content_Types].xml' || isEmbedded(entry.name);
    const compressed = bytes.subarray(data.start, data.end);
    const stored = keep ? compressed : compressed.length;
    const inflated = entry.method === 0 ? stored : await inflateCounted(compressed, Math.min(entry.declaredSize, budget), keep);
    if (typeof inflated === 'string') return refuse(`entry ${entry.name} ${inflated}`);
    const size = Buffer.isBuffer(inflated) ? inflated.length : inflated;
    if (size !== entry.declaredSize) return refuse(`entry ${entry.name} inflates to ${size} bytes, not the ${entry.declaredSize} it declares`);
    budget -= size;
    if (size >= RATIO_FLOOR && size > entry.compressedSize * limits.maxRatio) {
      return refuse(`entry ${entry.name} is compressed ${Math.round(size / Math.max(1, entry.compressedSize))} times, more than ${limits.maxRatio} (a zip bomb?)`);
    }
    if (Buffer.isBuffer(inflated)) {
      const problem = await keptPartProblem(entry.name, inflated, { ...limits, maxInflatedBytes: budget }, depth);
      if (problem) return problem;
    }
  }
  return null;
}

function readCentralDirectory(bytes: Buffer, limits: ZipLimits): Entry[] | ScreeningProblem {
  let eocd = -1;
  for (let at = bytes.length - 22; at >= Math.max(0, bytes.length - 22 - 0xffff); at--) {
    if (bytes.readUInt32LE(at) === EOCD) {
      eocd = at;
      break;
    }
  }
  if (eocd < 0) return refuse('is not a complete zip archive (no end of central directory)');
  if (eocd >= 20 && bytes.readUInt32LE(eocd - 20) === ZIP64_LOCATOR) return refuse('is a ZIP64 archive, which is not accepted');
  const [disk, cdDisk, diskEntries, count] = [4, 6, 8, 10].map((o) => bytes.readUInt16LE(eocd + o));
  const cdSize = bytes.readUInt32LE(eocd + 12);
  const cdOffset = bytes.readUInt32LE(eocd + 16);
  if (disk !== 0 || cdDisk !== 0 || diskEntries !== count) return refuse('spans several disks, which is not accepted');
  if (count === 0xffff || cdOffset === 0xffffffff || cdSize === 0xffffffff) return refuse('is a ZIP64 archive, which is not accepted');
  if (count > limits.maxEntries) return refuse(`has ${count} entries, more than the ${limits.maxEntries} allowed`);
  if (cdOffset + cdSize > eocd) return refuse('has a damaged central directory');
  const entries: Entry[] = [];
  let at = cdOffset;
  for (let n = 0; n < count; n++) {
    if (at + 46 > cdOffset + cdSize || bytes.readUInt32LE(at) !== CENTRAL) return refuse('has a damaged central directory');
    const nameLength = bytes.readUInt16LE(at + 28);
    const next = at + 46 + nameLength + bytes.readUInt16LE(at + 30) + bytes.readUInt16LE(at + 32);
    if (next > cdOffset + cdSize) return refuse('has a damaged central directory');
    const flags = bytes.readUInt16LE(at + 8);
    const name = bytes.subarray(at + 46, at + 46 + nameLength).toString(flags & 0x800 ? 'utf8' : 'latin1');
    const entry = { name, flags, method: bytes.readUInt16LE(at + 10), compressedSize: bytes.readUInt32LE(at + 20), declaredSize: bytes.readUInt32LE(at + 24), localOffset: bytes.readUInt32LE(at + 42) };
    if (flags & 0x1) return refuse(`entry ${name} is encrypted and cannot be checked`);
    if (entry.method !== 0 && entry.method !== 8) return refuse(`entry ${name} uses compression method ${entry.method}; only stored and deflate are accepted`);
    if (entry.method === 0 && entry.compressedSize !== entry.declaredSize) return refuse(`entry ${name} is stored with two different sizes`);
    entries.push(entry);
    at = next;
  }
  return entries;
}

/** Where an entry's compressed bytes are, checked against its local header and the archive. */
function entryData(bytes: Buffer, entry: Entry): { start: number; end: number } | string {
  const at = entry.localOffset;
  if (at + 30 > bytes.length || bytes.readUInt32LE(at) !== LOCAL) return 'has no local header where the directory says';
  const start = at + 30 + bytes.readUInt16LE(at + 26) + bytes.readUInt16LE(at + 28);
  const end = start + entry.compressedSize;
  return end > bytes.length ? 'runs past the end of the archive' : { start, end };
}

/**
 * Inflates `data`, counting the bytes and keeping them only when asked; stops as soon as more than
 * `limit` come out. The size, the bytes, or why it failed.
 */
function inflateCounted(data: Buffer, limit: number, keep: boolean): Promise<number | Buffer | string> {
  return new Promise((resolve) => {
    const inflater = zlib.createInflateRaw({ chunkSize: 64 * 1024 });
    const kept: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (outcome: number | Buffer | string) => {
      if (settled) return;
      settled = true;
      inflater.destroy();
      resolve(outcome);
    };
    inflater.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) return settle(`inflates to more than ${limit} bytes: more than it declares or the archive may hold (a zip bomb?)`);
      if (keep) kept.push(chunk);
    });
    inflater.on('error', () => settle('is damaged (its compressed data does not inflate)'));
    inflater.on('end', () => settle(keep ? Buffer.concat(kept) : size));
    inflater.end(data);
  });
}

const MACRO_EXTENSIONS = ['.docm', '.dotm', '.xlsm', '.xltm', '.xlam', '.xlsb', '.pptm', '.potm', '.ppsm', '.ppam'];

/** Parts that carry macros: VBA projects, Excel 4.0 macro sheets, OpenDocument Basic and scripts, macro-enabled packages. */
function macroPartProblem(name: string): ScreeningProblem | null {
  const path = name.toLowerCase();
  const segments = path.split('/');
  const base = segments[segments.length - 1];
  if (base === 'vbaproject.bin' || base === 'vbadata.xml' || base.startsWith('vbaprojectsignature')) return macros(`contains a VBA macro project (${name})`);
  if (segments.includes('macrosheets') || segments.includes('intlmacrosheets')) return macros(`contains Excel 4.0 macro sheets (${name})`);
  // OpenDocument keeps Basic/ and Scripts/ at the top, or under an embedded "Object N/".
  if (segments.slice(0, 2).some((s) => s === 'basic' || s === 'scripts')) return macros(`contains OpenDocument macros or scripts (${name})`);
  if (MACRO_EXTENSIONS.some((ext) => base.endsWith(ext))) return macros(`embeds a macro-enabled document (${name})`);
  return null;
}

function isEmbedded(name: string): boolean {
  const path = name.toLowerCase();
  return path.includes('/embeddings/') || /(^|\/)oleobject\d*\.bin$/.test(path);
}

/** What the parts read in full say: a macro-enabled content type, or an embedded document that carries macros. */
async function keptPartProblem(name: string, content: Buffer, limits: ZipLimits, depth: number): Promise<ScreeningProblem | null> {
  if (name === '[Content_Types].xml') {
    const types = content.toString('utf8').toLowerCase();
    if (types.includes('macroenabled') || types.includes('vbaproject') || types.includes('macrosheet')) {
      return macros('declares a macro-enabled content type ([Content_Types].xml)');
    }
    return null;
  }
  const inner = cfbMacroProblem(content) ?? (isZip(content) ? await nestedZipProblem(content, limits, depth) : null);
  return inner && { ...inner, problem: `embedded object ${name}: ${inner.problem}` };
}

function nestedZipProblem(content: Buffer, limits: ZipLimits, depth: number): Promise<ScreeningProblem | null> | ScreeningProblem {
  return depth >= MAX_NESTING ? refuse(`nests archives more than ${MAX_NESTING} deep`) : zipProblem(content, limits, depth + 1);
}
