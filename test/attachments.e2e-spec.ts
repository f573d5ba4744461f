import crypto from 'node:crypto';
import { GatewayHarness, TestClient, taskResult } from './support/gateway-harness.js';
import { resetDatabase } from './support/test-database.js';

const MOF = 'Bộ Tài chính';
const PDF = Buffer.concat([Buffer.from('%PDF-1.7\n1 0 obj <<>> endobj\n'), crypto.randomBytes(2000), Buffer.from('\n%%EOF\n')]);
// A real 1×1 PNG.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const EXECUTABLE = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(58), Buffer.from([0x80, 0, 0, 0]), crypto.randomBytes(400)]);

describe('evidence files', () => {
  let harness: GatewayHarness;
  let uploaderClient: TestClient;
  let uploader: Awaited<ReturnType<GatewayHarness['as']>>;

  beforeAll(async () => {
    await resetDatabase();
    harness = await GatewayHarness.start({ ATTACHMENT_MAX_BYTES: String(64 * 1024) });
    uploaderClient = await harness.connection({ unit: MOF });
    uploader = await harness.as(uploaderClient);
  });
  afterAll(() => harness.stop());

  async function upload(body: Buffer, type: string, name = 'bao-cao.pdf') {
    return uploader.post('/api/v1/attachments').set('Content-Type', type).set('X-File-Name', encodeURIComponent(name)).send(body);
  }

  it('stores a PDF with its SHA-256 and the type sniffed from its bytes', async () => {
    const response = await upload(PDF, 'application/pdf', 'Báo cáo quý 2.pdf');
    expect(response.status).toBe(201);
    expect(response.body).toEqual({
      attachmentId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      sha256: crypto.createHash('sha256').update(PDF).digest('hex'),
      mediaType: 'application/pdf',
      sizeBytes: PDF.length,
    });
  });

  it('refuses bytes that are not an allowed type, whatever the header says', async () => {
    const spoofed = await upload(EXECUTABLE, 'application/pdf', 'not-really.pdf');
    expect(spoofed.status).toBe(400);
    expect(spoofed.body).toMatchObject({ code: 'FILE_TYPE_REFUSED', details: [{ field: 'Content-Type', problem: expect.stringContaining('allowed: PDF') }] });
  });

  it('refuses a declared type that contradicts the content', async () => {
    const response = await upload(PNG, 'application/pdf');
    expect(response.status).toBe(400);
    expect(response.body.details[0].problem).toBe('declared as application/pdf but the content is image/png');
  });

  it('refuses a file over the configured limit with 413', async () => {
    const big = Buffer.concat([PDF, Buffer.alloc(70 * 1024)]);
    const response = await upload(big, 'application/pdf');
    expect(response.status).toBe(413);
    expect(response.body.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('lets a record reference it, and only connections that may read that record download it', async () => {
    const { attachmentId } = (await upload(PDF, 'application/octet-stream')).body;
    await uploader.put('/api/v1/task-results/EV-1').send(taskResult('EV-1', MOF, { attachments: [attachmentId] })).expect(201);

    const reader = await harness.as(await harness.connection({ unit: 'Văn phòng Chính phủ', scope: { readUnits: [MOF], writeUnits: [], directions: ['pull'] } }));
    const download = await reader.get(`/api/v1/attachments/${attachmentId}`).buffer(true).expect(200);
    expect(download.headers['content-type']).toBe('application/pdf');
    expect(download.headers['x-content-sha256']).toBe(crypto.createHash('sha256').update(PDF).digest('hex'));
    expect(Buffer.compare(download.body as Buffer, PDF)).toBe(0);

    const kpiOnly = await harness.as(await harness.connection({ unit: 'Văn phòng Chính phủ', scope: { dataSets: ['kpi-results'], readUnits: [MOF], writeUnits: [], directions: ['pull'] } }));
    await kpiOnly.get(`/api/v1/attachments/${attachmentId}`).expect(404);

    const stranger = await harness.as(await harness.connection({ unit: 'Bộ Y tế' }));
    await stranger.get(`/api/v1/attachments/${attachmentId}`).expect(404);
    await stranger.get('/api/v1/attachments/not-a-uuid').expect(400);
  });

  it("refuses a record that references another connection's file it may not read, so the file cannot be taken through it", async () => {
    const { attachmentId } = (await upload(PDF, 'application/pdf')).body;
    await uploader.put('/api/v1/task-results/EV-OWN').send(taskResult('EV-OWN', MOF, { attachments: [attachmentId] })).expect(201);
    const HEALTH = 'Bộ Y tế';
    const thief = await harness.as(await harness.connection({ unit: HEALTH }));

    const put = await thief.put('/api/v1/task-results/EV-STOLEN').send(taskResult('EV-STOLEN', HEALTH, { attachments: [attachmentId] })).expect(400);
    expect(put.body.details).toEqual([{ field: 'attachments.0', problem: expect.stringContaining('no attachment') }]);
    // The same answer as for an id that names nothing: the file's existence is not disclosed.
    expect(put.body.details[0].problem).toBe(`no attachment ${attachmentId} that this connection uploaded or may read (in this environment)`);

    const { attachmentId: own } = (await thief.post('/api/v1/attachments').set('Content-Type', 'image/png').send(PNG).expect(201)).body;
    const batch = await thief.post('/api/v1/task-results/batch').send({
      items: [
        taskResult('EV-STOLEN-2', HEALTH, { attachments: [own, attachmentId] }),
        taskResult('EV-HONEST', HEALTH, { attachments: [own] }),
      ],
    }).expect(200);
    expect(batch.body.items).toMatchObject([
      { key: 'EV-STOLEN-2', status: 'rejected', errors: [{ field: 'attachments.1', problem: expect.stringContaining('no attachment') }] },
      { key: 'EV-HONEST', status: 'created' },
    ]);
    expect(await thief.get('/api/v1/task-results/EV-STOLEN-2').then((r) => r.status)).toBe(404);
    await thief.get(`/api/v1/attachments/${attachmentId}`).expect(404);

    // A connection that may already read the file (through a record it may read) may reference it.
    const GOV = 'Văn phòng Chính phủ';
    const reader = await harness.as(await harness.connection({ unit: GOV, scope: { readUnits: [GOV, MOF], writeUnits: [GOV] } }));
    await reader.put('/api/v1/task-results/EV-CITED').send(taskResult('EV-CITED', GOV, { attachments: [attachmentId] })).expect(201);
  });

  it('rejects a record that references an attachment that was never uploaded', async () => {
    const response = await uploader
      .put('/api/v1/task-results/EV-2')
      .send(taskResult('EV-2', MOF, { attachments: [crypto.randomUUID()] }))
      .expect(400);
    expect(response.body.details[0]).toEqual({ field: 'attachments.0', problem: expect.stringContaining('no attachment') });
  });
});
