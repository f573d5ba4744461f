import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Role } from '../src/accounts/roles.js';
import { ControlPlaneHarness, Person } from './support/control-plane-harness.js';
import type { GatewayHarness } from './support/gateway-harness.js';
import { cleanDocx, compoundFile, docxWithMacros, zip, zipBomb } from './support/office-files.js';
import { resetDatabase, sql } from './support/test-database.js';

const MOF = 'Bộ Tài chính';
const MiB = 1024 * 1024;
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const pdf = (text: string) => Buffer.from(`%PDF-1.7\n1 0 obj <<>> endobj\n% ${text}\n%%EOF\n`);

/**
 * A stand-in for clamdscan: reads the file from stdin; "MALWARE-MARKER" is infected (exit 1, the
 * signature on stdout as clamdscan prints it), "SCANNER-BREAKS" makes it fail (exit 2).
 */
const FAKE_SCANNER = `
let data = '';
process.stdin.setEncoding('latin1');
process.stdin.on('data', (c) => (data += c));
process.stdin.on('end', () => {
  if (data.includes('MALWARE-MARKER')) { console.log('stream: Test.Marker-1 FOUND'); process.exit(1); }
  if (data.includes('SCANNER-BREAKS')) { console.error('cannot reach clamd'); process.exit(2); }
  console.log('stream: OK');
  process.exit(0);
});`;

type Upload = (body: Buffer, type: string) => Promise<{ status: number; body: Record<string, any> }>;

describe('uploaded files are screened for zip bombs, macros and malware (IV.5.a), on both planes', () => {
  let h: ControlPlaneHarness;
  let unitAdmin: Person;
  const planes: Record<string, Upload> = {};

  beforeAll(async () => {
    await resetDatabase();
    const scanner = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'fake-scanner-')), 'scan.cjs');
    fs.writeFileSync(scanner, FAKE_SCANNER);
    h = await ControlPlaneHarness.start({
      ATTACHMENT_MAX_BYTES: String(4 * MiB),
      FILE_MAX_INFLATED_BYTES: String(8 * MiB),
      FILE_SCANNER_COMMAND: `${process.execPath} ${scanner}`,
    });
    unitAdmin = await h.person(await h.bootstrapAdmin(), 'mof.admin', Role.UNIT_ADMIN, MOF);
    const system: Awaited<ReturnType<GatewayHarness['as']>> = await h.gateway.as(await h.gateway.connection({ unit: MOF }));
    planes['data plane'] = (body, type) => system.post('/api/v1/attachments').set('Content-Type', type).send(body);
    planes['control plane'] = (body, type) => h.as(unitAdmin).post('/control/v1/documents').set('Content-Type', type).send(body);
  });
  afterAll(() => h.stop());

  const stored = async () => {
    const [row] = await sql<{ n: number }>('SELECT (SELECT count(*) FROM attachments) + (SELECT count(*) FROM documents) AS n');
    return Number(row.n);
  };

  describe.each(['data plane', 'control plane'])('%s', (plane) => {
    const upload: Upload = (body, type) => planes[plane](body, type);

    async function refused(body: Buffer, type: string, status: number, code: string, problem: string | RegExp) {
      const before = await stored();
      const response = await upload(body, type);
      expect({ status: response.status, code: response.body.code }).toEqual({ status, code });
      if (status === 400) expect(response.body.details).toEqual([{ field: 'body', problem: typeof problem === 'string' ? problem : expect.stringMatching(problem) }]);
      expect(response.body.requestId).toEqual(expect.any(String));
      expect(await stored()).toBe(before); // nothing refused is kept
      return response;
    }

    it('accepts a clean Word document, new and legacy', async () => {
      expect((await upload(cleanDocx(), DOCX)).status).toBe(201);
      expect((await upload(compoundFile([{ name: 'WordDocument' }]), 'application/msword')).status).toBe(201);
      expect((await upload(pdf('Báo cáo'), 'application/pdf')).status).toBe(201);
    });

    it('refuses documents that carry macros', async () => {
      await refused(docxWithMacros(), DOCX, 400, 'FILE_MACROS_REFUSED', 'the file contains a VBA macro project (word/vbaProject.bin)');
      await refused(docxWithMacros(true), 'application/octet-stream', 400, 'FILE_MACROS_REFUSED', /macro-enabled content type/);
      const excel4 = zip([{ name: '[Content_Types].xml', content: '<Types/>' }, { name: 'xl/workbook.xml', content: '<workbook/>' }, { name: 'xl/macrosheets/sheet1.xml', content: '<xm/>' }]);
      await refused(excel4, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 400, 'FILE_MACROS_REFUSED', /Excel 4.0 macro sheets/);
      const odt = zip([{ name: 'mimetype', content: 'application/vnd.oasis.opendocument.text', deflate: false }, { name: 'content.xml', content: '<office:document-content/>' }, { name: 'Basic/Standard/Module1.xml', content: 'Sub Main' }]);
      await refused(odt, 'application/vnd.oasis.opendocument.text', 400, 'FILE_MACROS_REFUSED', /OpenDocument macros/);
      const legacy = compoundFile([{ name: 'WordDocument' }, { name: 'Macros', storage: true }, { name: 'VBA', storage: true }]);
      await refused(legacy, 'application/msword', 400, 'FILE_MACROS_REFUSED', /VBA macro project \(Macros\)/);
      const embedded = zip([{ name: '[Content_Types].xml', content: '<Types/>' }, { name: 'word/document.xml', content: '<w:document/>' }, { name: 'word/embeddings/oleObject1.bin', content: legacy }]);
      await refused(embedded, DOCX, 400, 'FILE_MACROS_REFUSED', /embedded object word\/embeddings\/oleObject1.bin: contains a VBA macro project/);
    });

    it('refuses zip bombs: too large inflated, lying about their size, or compressed beyond reason', async () => {
      await refused(zipBomb(16 * MiB), DOCX, 400, 'FILE_ARCHIVE_REFUSED', /would inflate to 16777\d+ bytes, more than the 8388608 allowed/);
      await refused(zipBomb(16 * MiB, 1000), DOCX, 400, 'FILE_ARCHIVE_REFUSED', /entry word\/document.xml inflates to more than 1000 bytes/);
      await refused(zipBomb(4 * MiB), DOCX, 400, 'FILE_ARCHIVE_REFUSED', /entry word\/document.xml is compressed \d+ times, more than 200/);
    });

    it('asks the external scanner, and fails closed when it cannot answer', async () => {
      await refused(pdf('MALWARE-MARKER'), 'application/pdf', 400, 'FILE_MALWARE_FOUND', 'the malware scanner found Test.Marker-1');
      await refused(pdf('SCANNER-BREAKS'), 'application/pdf', 503, 'FILE_SCANNER_UNAVAILABLE', '');
    });
  });
});
