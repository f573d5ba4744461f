import zlib from 'node:zlib';

/**
 * Office files made in the test, byte by byte: zip archives (what .docx/.xlsx/.odt are) and OLE
 * compound files (what .doc/.xls are), including the malformed ones a real tool would never write.
 */
export interface ZipPart {
  name: string;
  content: Buffer | string;
  /** Deflate it (default) or store it. */
  deflate?: boolean;
  /** Declare another inflated size in the directory than the real one (a lying archive). */
  declaredSize?: number;
}

export function zip(parts: ZipPart[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const part of parts) {
    const raw = Buffer.isBuffer(part.content) ? part.content : Buffer.from(part.content);
    const deflate = part.deflate ?? true;
    const data = deflate ? zlib.deflateRawSync(raw) : raw;
    const name = Buffer.from(part.name);
    const size = part.declaredSize ?? raw.length;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x800, 6);
    local.writeUInt16LE(deflate ? 8 : 0, 8);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x800, 8);
    central.writeUInt16LE(deflate ? 8 : 0, 10);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, data);
    centrals.push(central, name);
    offset += local.length + name.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

const CONTENT_TYPES = (main: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
  `<Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="${main}"/></Types>`;
const DOCX_MAIN = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml';
const DOCM_MAIN = 'application/vnd.ms-word.document.macroEnabled.main+xml';
const DOCUMENT = '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Báo cáo kết quả</w:t></w:r></w:p></w:body></w:document>';

/** A small, clean Word document (.docx). */
export const cleanDocx = () => zip([{ name: '[Content_Types].xml', content: CONTENT_TYPES(DOCX_MAIN) }, { name: 'word/document.xml', content: DOCUMENT }]);

/** A .docm passed off as a .docx: a VBA project inside (and optionally its content type). */
export const docxWithMacros = (declareMacroType = false) =>
  zip([
    { name: '[Content_Types].xml', content: CONTENT_TYPES(declareMacroType ? DOCM_MAIN : DOCX_MAIN) },
    { name: 'word/document.xml', content: DOCUMENT },
    ...(declareMacroType ? [] : [{ name: 'word/vbaProject.bin', content: Buffer.alloc(1024, 1) }]),
  ]);

/** A Word document whose body inflates to `inflated` bytes of zeros (about 1000 times smaller packed). */
export const zipBomb = (inflated: number, declaredSize?: number) =>
  zip([{ name: '[Content_Types].xml', content: CONTENT_TYPES(DOCX_MAIN) }, { name: 'word/document.xml', content: Buffer.alloc(inflated), declaredSize }]);

/**
 * A minimal OLE compound file (version 3, 512-byte sectors): the header, one FAT sector and one
 * directory sector holding the root and the given storages/streams (names only, no data).
 */
export function compoundFile(entries: Array<{ name: string; storage?: boolean }>): Buffer {
  const sector = 512;
  const file = Buffer.alloc(sector * 3);
  Buffer.from('d0cf11e0a1b11ae1', 'hex').copy(file, 0);
  file.writeUInt16LE(0x3e, 0x18);
  file.writeUInt16LE(3, 0x1a);
  file.writeUInt16LE(0xfffe, 0x1c);
  file.writeUInt16LE(9, 0x1e);
  file.writeUInt16LE(6, 0x20);
  file.writeUInt32LE(1, 0x2c); // one FAT sector
  file.writeUInt32LE(1, 0x30); // the directory in sector 1
  file.writeUInt32LE(4096, 0x38);
  file.writeUInt32LE(0xfffffffe, 0x3c);
  file.writeUInt32LE(0xfffffffe, 0x44);
  file.fill(0xff, 0x4c, 512);
  file.writeUInt32LE(0, 0x4c); // the FAT is sector 0
  const fat = sector; // sector 0 starts after the header
  file.fill(0xff, fat, fat + sector);
  file.writeUInt32LE(0xfffffffd, fat); // sector 0: FAT
  file.writeUInt32LE(0xfffffffe, fat + 4); // sector 1: end of the directory chain
  const all = [{ name: 'Root Entry', type: 5 }, ...entries.map((e) => ({ name: e.name, type: e.storage ? 1 : 2 }))];
  if (all.length > 4) throw new Error('one directory sector holds four entries');
  all.forEach((entry, n) => {
    const at = 2 * sector + n * 128;
    const name = Buffer.from(`${entry.name}\u0000`, 'utf16le');
    name.copy(file, at);
    file.writeUInt16LE(name.length, at + 0x40);
    file[at + 0x42] = entry.type;
  });
  return file;
}
