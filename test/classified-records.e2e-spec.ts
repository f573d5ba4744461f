import { GatewayHarness, kpiResult, taskResult } from './support/gateway-harness.js';
import { resetDatabase } from './support/test-database.js';

const MOF = 'Bộ Tài chính';

/** Classified records as the law allows (III.1.d; the approved cryptography stops at Tối mật). */
describe('classified records', () => {
  describe('on a deployment approved for them (CLASSIFIED_RECORDS=accept)', () => {
    let harness: GatewayHarness;
    beforeAll(async () => {
      await resetDatabase();
      harness = await GatewayHarness.start({ CLASSIFIED_RECORDS: 'accept' });
    });
    afterAll(() => harness.stop());

    it('refuses TOP_SECRET (Tuyệt mật) outright, naming the field', async () => {
      const writer = await harness.as(await harness.connection({ unit: MOF, scope: { classifiedClearance: 'SECRET' } }));
      const refused = await writer.put('/api/v1/task-results/TS-1').send(taskResult('TS-1', MOF, { classification: 'TOP_SECRET', description: undefined })).expect(400);
      expect(refused.body.details).toEqual([{ field: 'classification', problem: expect.stringContaining('TOP_SECRET (Tuyệt mật) records are never exchanged') }]);
      const batch = await writer.post('/api/v1/kpi-results/batch').send({ items: [kpiResult('TS.01', '2026', MOF, { classification: 'TOP_SECRET' }), kpiResult('OK.01', '2026', MOF)] }).expect(200);
      expect(batch.body.items.map((i: { status: string }) => i.status)).toEqual(['rejected', 'created']);
    });

    it('shows a classified record (status only) only to connections whose agreement grants the clearance', async () => {
      const writer = await harness.as(await harness.connection({ unit: MOF, scope: { classifiedClearance: 'SECRET' } }));
      const conf = taskResult('CL-CONF', MOF, { classification: 'CONFIDENTIAL', description: undefined });
      const secret = taskResult('CL-SECRET', MOF, { classification: 'SECRET', description: undefined });
      await writer.put('/api/v1/task-results/CL-CONF').send(conf).expect(201);
      await writer.put('/api/v1/task-results/CL-SECRET').send(secret).expect(201);
      await writer.put('/api/v1/task-results/CL-OPEN').send(taskResult('CL-OPEN', MOF)).expect(201);

      const readers = {
        NONE: await harness.as(await harness.connection({ unit: MOF, name: 'no clearance', scope: { directions: ['pull'] } })),
        CONFIDENTIAL: await harness.as(await harness.connection({ unit: MOF, name: 'confidential', scope: { directions: ['pull'], classifiedClearance: 'CONFIDENTIAL' } })),
        SECRET: await harness.as(await harness.connection({ unit: MOF, name: 'secret', scope: { directions: ['pull'], classifiedClearance: 'SECRET' } })),
      };
      const seen = async (reader: (typeof readers)['NONE']) =>
        (await reader.get('/api/v1/task-results?limit=500').expect(200)).body.items.map((i: { taskCode: string }) => i.taskCode).sort();
      expect(await seen(readers.NONE)).toEqual(['CL-OPEN']);
      expect(await seen(readers.CONFIDENTIAL)).toEqual(['CL-CONF', 'CL-OPEN']);
      expect(await seen(readers.SECRET)).toEqual(['CL-CONF', 'CL-OPEN', 'CL-SECRET']);
      await readers.NONE.get('/api/v1/task-results/CL-CONF').expect(404);
      await readers.CONFIDENTIAL.get('/api/v1/task-results/CL-SECRET').expect(404);
      const statusOnly = (await readers.SECRET.get('/api/v1/task-results/CL-SECRET').expect(200)).body;
      expect(statusOnly).toMatchObject({ classification: 'SECRET', result: 'IN_PROGRESS' });
      for (const field of ['description', 'difficulties', 'proposals', 'attachments']) expect(statusOnly).not.toHaveProperty(field);

      // Its withdrawal is no news to a connection that never learnt it existed.
      const since = new Date(Date.now() - 60_000).toISOString();
      await writer.delete('/api/v1/task-results/CL-CONF').expect(200);
      const tombstones = async (reader: (typeof readers)['NONE']) =>
        (await reader.get(`/api/v1/task-results?updatedSince=${encodeURIComponent(since)}`).expect(200)).body.items.filter((i: { revoked: boolean }) => i.revoked).map((i: { taskCode: string }) => i.taskCode);
      expect(await tombstones(readers.NONE)).toEqual([]);
      expect(await tombstones(readers.CONFIDENTIAL)).toEqual(['CL-CONF']);
    });
  });

  describe('on a deployment off the protected network (CLASSIFIED_RECORDS=refuse, the default)', () => {
    let harness: GatewayHarness;
    beforeAll(async () => {
      harness = await GatewayHarness.start({ CLASSIFIED_RECORDS: 'refuse' });
    });
    afterAll(() => harness.stop());

    it('refuses every classified record, naming the field, and takes the unclassified ones', async () => {
      const writer = await harness.as(await harness.connection({ unit: MOF, scope: { classifiedClearance: 'SECRET' } }));
      const refused = await writer.put('/api/v1/task-results/RF-1').send(taskResult('RF-1', MOF, { classification: 'CONFIDENTIAL', description: undefined })).expect(400);
      expect(refused.body.details).toEqual([{ field: 'classification', problem: expect.stringContaining('CLASSIFIED_RECORDS=refuse') }]);
      await writer.put('/api/v1/task-results/RF-2').send(taskResult('RF-2', MOF)).expect(201);
    });
  });
});
