import crypto from 'node:crypto';
import { cleanDocx, compoundFile, docxWithMacros, zip } from '../../../test/support/office-files.js';
import { cfbMacroProblem } from './cfb-screening.js';
import { zipProblem } from './zip-screening.js';

const limits = { maxInflatedBytes: 8 * 1024 * 1024, maxEntries: 100, maxRatio: 200 };

describe('zip screening', () => {
  it('passes a clean document and names the macro part of another', async () => {
    expect(await zipProblem(cleanDocx(), limits)).toBeNull();
    expect(await zipProblem(docxWithMacros(), limits)).toEqual({ code: 'FILE_MACROS_REFUSED', problem: 'contains a VBA macro project (word/vbaProject.bin)' });
  });

  it('refuses too many entries, overlapping entries and ZIP64 before inflating anything', async () => {
    const many = zip(Array.from({ length: 101 }, (_, n) => ({ name: `word/part${n}.xml`, content: 'x' })));
    expect(await zipProblem(many, limits)).toEqual({ code: 'FILE_ARCHIVE_REFUSED', problem: 'has 101 entries, more than the 100 allowed' });

    // Two directory entries pointing at one compressed kernel (Fifield's "better zip bomb").
    const one = zip([{ name: 'word/document.xml', content: 'a'.repeat(1000) }]);
    const eocd = one.length - 22;
    const cdOffset = one.readUInt32LE(eocd + 16);
    const central = one.subarray(cdOffset, eocd);
    const twice = Buffer.concat([one.subarray(0, cdOffset), central, central, one.subarray(eocd)]);
    twice.writeUInt16LE(2, twice.length - 22 + 8);
    twice.writeUInt16LE(2, twice.length - 22 + 10);
    twice.writeUInt32LE(central.length * 2, twice.length - 22 + 12);
    expect((await zipProblem(twice, limits))?.problem).toBe('entry word/document.xml overlaps another (a zip bomb?)');

    const zip64 = Buffer.from(one);
    zip64.writeUInt32LE(0xffffffff, eocd + 16);
    expect((await zipProblem(zip64, limits))?.problem).toBe('is a ZIP64 archive, which is not accepted');
  });

  it('never throws or hangs on a damaged archive or compound file: it refuses or passes', async () => {
    const samples = [cleanDocx(), docxWithMacros(), compoundFile([{ name: 'WordDocument' }, { name: 'Macros', storage: true }])];
    for (let round = 0; round < 300; round++) {
      const sample = Buffer.from(samples[round % samples.length]);
      const damaged = round % 4 === 1 ? sample.subarray(0, crypto.randomInt(1, sample.length)) : sample;
      for (let n = 0; n < 8; n++) damaged[crypto.randomInt(damaged.length)] = crypto.randomInt(256);
      const outcome = round % 3 === 2 ? cfbMacroProblem(damaged) : await zipProblem(damaged, limits);
      if (outcome) expect(outcome.code).toMatch(/^FILE_(ARCHIVE|MACROS)_REFUSED$/);
    }
  });

  it('follows a compound file directory chain that loops back on itself only as far as the file goes', () => {
    const looping = compoundFile([{ name: 'WordDocument' }]);
    looping.writeUInt32LE(1, 512 + 4); // sector 1's successor: sector 1
    expect(cfbMacroProblem(looping)).toEqual({ code: 'FILE_ARCHIVE_REFUSED', problem: 'is a damaged Office file (broken directory chain)' });
  });
});
