import type { ScreeningProblem } from './screening-problem.js';

/**
 * Screens an OLE compound file (the legacy .doc/.xls/.ppt container, and objects embedded in
 * OOXML) for macros by walking its directory: a VBA project lives in storages and streams with
 * fixed names (Word: Macros/VBA, Excel: _VBA_PROJECT_CUR/VBA, both with _VBA_PROJECT and PROJECT).
 * A password-protected OOXML file is also such a container (EncryptedPackage): it cannot be
 * checked, so it is refused.
 *
 * What a directory walk cannot see, the external scanner (FILE_SCANNER_COMMAND) must: Excel 4.0
 * macro sheets inside a .xls Workbook stream and VBA stored compressed inside a .ppt's
 * "PowerPoint Document" stream.
 *
 * Bounded like the zip walk: every sector number is checked against the file's length, and each
 * chain is followed at most as many steps as the file has sectors (a cycle cannot hold it).
 */
const SIGNATURE = Buffer.from('d0cf11e0a1b11ae1', 'hex');
const END_OF_CHAIN = 0xfffffffe;
const FREE = 0xffffffff;
const MACRO_NAMES = new Set(['macros', 'vba', '_vba_project', '_vba_project_cur', 'projectwm']);

export function isCfb(bytes: Buffer): boolean {
  return bytes.length >= 512 && bytes.subarray(0, 8).equals(SIGNATURE);
}

/** Why the compound file is refused, or null (also when it is not a compound file at all). */
export function cfbMacroProblem(bytes: Buffer): ScreeningProblem | null {
  if (!isCfb(bytes)) return null;
  const names = directoryNames(bytes);
  if (typeof names === 'string') return { code: 'FILE_ARCHIVE_REFUSED', problem: `is a damaged Office file (${names})` };
  const macro = names.find((n) => MACRO_NAMES.has(n.toLowerCase()));
  if (macro) return { code: 'FILE_MACROS_REFUSED', problem: `contains a VBA macro project (${macro})` };
  if (names.some((n) => n.toLowerCase() === 'encryptedpackage')) {
    return { code: 'FILE_ARCHIVE_REFUSED', problem: 'is password-protected, so its content cannot be checked' };
  }
  return null;
}

/** The names of every storage and stream, or what is wrong with the file. */
function directoryNames(bytes: Buffer): string[] | string {
  const shift = bytes.readUInt16LE(0x1e);
  if (shift !== 9 && shift !== 12) return 'unknown sector size';
  const sectorSize = 1 << shift;
  // Whole sectors only: a read never runs past the buffer.
  const sectors = Math.floor((bytes.length - sectorSize) / sectorSize);
  const valid = (sector: number) => sector < sectors;
  const u32 = (sector: number, index: number) => bytes.readUInt32LE((sector + 1) * sectorSize + index * 4);
  const perSector = sectorSize / 4;

  // The FAT's own sectors: 109 listed in the header, the rest in a chain of DIFAT sectors.
  const fatCount = bytes.readUInt32LE(0x2c);
  if (fatCount > sectors) return 'FAT larger than the file';
  const fatSectors: number[] = [];
  for (let i = 0; i < 109 && fatSectors.length < fatCount; i++) {
    const sector = bytes.readUInt32LE(0x4c + i * 4);
    if (sector !== FREE) fatSectors.push(sector);
  }
  let difat = bytes.readUInt32LE(0x44);
  for (let steps = 0; fatSectors.length < fatCount && difat !== END_OF_CHAIN && difat !== FREE; steps++) {
    if (!valid(difat) || steps > sectors) return 'broken DIFAT chain';
    for (let i = 0; i < perSector - 1 && fatSectors.length < fatCount; i++) {
      const sector = u32(difat, i);
      if (sector !== FREE) fatSectors.push(sector);
    }
    difat = u32(difat, perSector - 1);
  }
  if (fatSectors.some((s) => !valid(s))) return 'FAT sector outside the file';
  const next = (sector: number): number => {
    const index = Math.floor(sector / perSector);
    return index < fatSectors.length ? u32(fatSectors[index], sector % perSector) : FREE;
  };

  const names: string[] = [];
  let sector = bytes.readUInt32LE(0x30);
  for (let steps = 0; sector !== END_OF_CHAIN; steps++) {
    if (!valid(sector) || steps > sectors) return 'broken directory chain';
    for (let entry = 0; entry < sectorSize / 128; entry++) {
      const at = (sector + 1) * sectorSize + entry * 128;
      const type = bytes[at + 0x42];
      const length = bytes.readUInt16LE(at + 0x40);
      if ((type === 1 || type === 2) && length >= 2 && length <= 64) names.push(bytes.subarray(at, at + length - 2).toString('utf16le'));
    }
    sector = next(sector);
  }
  return names;
}
