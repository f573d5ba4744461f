import { fileLabel } from './evidence-file.js';

describe("an uploaded file's name (X-File-Name)", () => {
  it.each([
    ['percent-encoded UTF-8, the documented form', encodeURIComponent('Báo cáo quý II.pdf'), 'Báo cáo quý II.pdf'],
    ['raw UTF-8 bytes, as curl sends them (one Latin-1 character per byte in Node)', Buffer.from('Báo cáo.pdf').toString('latin1'), 'Báo cáo.pdf'],
    ['Latin-1 that is not UTF-8, kept as sent', 'r\u00e9sum\u00e9.pdf', 'r\u00e9sum\u00e9.pdf'],
    ['a path, flattened', '../../etc/passwd', '.._.._etc_passwd'],
    ['control characters, dropped', 'a\u0001b.pdf', 'ab.pdf'],
    ['nothing', undefined, 'file'],
  ])('%s', (_case, raw, label) => {
    expect(fileLabel(raw)).toBe(label);
  });
});
