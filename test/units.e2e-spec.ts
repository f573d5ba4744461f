import crypto from 'node:crypto';
import { Role } from '../src/accounts/roles.js';
import { ControlPlaneHarness, type Person } from './support/control-plane-harness.js';
import { taskResult } from './support/gateway-harness.js';
import { agreementFor, approveWithPaperwork, dossier, PDF } from './support/lifecycle-fixtures.js';
import { resetDatabase, sql } from './support/test-database.js';

/** The unit register (issue 15, part 1), driven through both planes. */
describe('unit register', () => {
  let h: ControlPlaneHarness;
  let reviewer: Person;
  let unitAdmin: Person;
  const suffix = crypto.randomBytes(3).toString('hex').toUpperCase();

  beforeAll(async () => {
    await resetDatabase();
    h = await ControlPlaneHarness.start();
    const admin = await h.bootstrapAdmin();
    reviewer = await h.person(admin, 'dtd.reviewer', Role.DTD_REVIEWER);
    unitAdmin = await h.person(admin, 'th.admin', Role.UNIT_ADMIN, 'Tỉnh ủy Thanh Hóa');
  }, 60_000);
  afterAll(() => h?.stop());

  it('lands a push naming "Thanh Hoá" (other tone placement) on Thanh Hóa, within a scope agreed as "Tỉnh ủy Thanh Hóa", and returns the code', async () => {
    const thanhHoa = await h.gateway.as(await h.gateway.connection({ unit: 'Tỉnh ủy Thanh Hóa' }));
    const put = await thanhHoa.put('/api/v1/task-results/TH-1').send(taskResult('TH-1', 'Tỉnh ủy Thanh Hoá', { coordinatingUnits: ['Bộ Tư pháp', 'UBND tỉnh Nghệ An'] })).expect(201);
    expect(put.body).toMatchObject({ leadUnit: 'Tỉnh ủy Thanh Hoá', leadUnitCode: '38', coordinatingUnitCodes: ['GW-BTP', '40'] });

    // By code alone: the register's name is filled in.
    const byCode = await thanhHoa.put('/api/v1/task-results/TH-2').send({ ...taskResult('TH-2', 'x'), leadUnit: undefined, leadUnitCode: '38' }).expect(201);
    expect(byCode.body).toMatchObject({ leadUnit: 'Tỉnh Thanh Hóa', leadUnitCode: '38' });
    const disagree = await thanhHoa.put('/api/v1/task-results/TH-3').send({ ...taskResult('TH-3', 'Nghệ An'), leadUnitCode: '38' }).expect(400);
    expect(disagree.body.details).toEqual([{ field: 'leadUnit', problem: 'names Tỉnh Nghệ An (40), but leadUnitCode is Tỉnh Thanh Hóa (38)' }]);

    for (const filter of ['leadUnitCode=38', `leadUnit=${encodeURIComponent('Thanh Hoá')}`]) {
      const pulled = await thanhHoa.get(`/api/v1/task-results?${filter}`).expect(200);
      expect(pulled.body.items.map((i: { taskCode: string; leadUnitCode: string }) => [i.taskCode, i.leadUnitCode])).toEqual([['TH-1', '38'], ['TH-2', '38']]);
    }
    const [row] = await sql<{ lead_unit_code: string }>(`SELECT lead_unit_code FROM task_results WHERE task_code = 'TH-1'`);
    expect(row.lead_unit_code).toBe('38');

    const ngheAn = await h.gateway.as(await h.gateway.connection({ unit: 'Nghệ An' }));
    const refused = await ngheAn.put('/api/v1/task-results/TH-4').send(taskResult('TH-4', 'Thanh Hoá')).expect(403);
    expect(refused.body.code).toBe('OUTSIDE_WRITE_SCOPE');
  });

  it('refuses an unknown unit with the closest register entries, naming the field, on push and pull', async () => {
    const client = await h.gateway.as(await h.gateway.connection({ unit: 'Bộ Tài chính' }));
    const put = await client.put('/api/v1/task-results/UNK-1').send(taskResult('UNK-1', 'Bộ Tài chánh')).expect(400);
    expect(put.body.details).toHaveLength(1);
    expect(put.body.details[0].field).toBe('leadUnit');
    expect(put.body.details[0].problem).toContain('"Bộ Tài chánh" is not in the unit register; closest entries: Bộ Tài chính (GW-BTC)');

    const batch = await client.post('/api/v1/kpi-results/batch').send({ items: [
      { indicatorGroup: 'A', indicatorCode: 'K.1', indicatorName: 'Chỉ số', unit: '%', periodType: 'YEAR', period: '2026', reportingAgency: 'Bộ Tài chính', periodResult: '1' },
      { indicatorGroup: 'A', indicatorCode: 'K.2', indicatorName: 'Chỉ số', unit: '%', periodType: 'YEAR', period: '2026', reportingAgencyCode: 'GW-NOPE', periodResult: '1' },
    ] }).expect(200);
    expect(batch.body.items.map((i: { status: string }) => i.status)).toEqual(['created', 'rejected']);
    expect(batch.body.items[1].errors).toEqual([{ field: 'reportingAgencyCode', problem: '"GW-NOPE" is not a code of the unit register' }]);

    const pull = await client.get(`/api/v1/task-results?leadUnit=${encodeURIComponent('Tỉnh Thanh Hoa Mới')}`).expect(400);
    expect(pull.body.details[0]).toMatchObject({ field: 'leadUnit' });
    expect(pull.body.details[0].problem).toContain('Tỉnh Thanh Hóa (38)');
    const coordinating = await client.put('/api/v1/task-results/UNK-2').send(taskResult('UNK-2', 'Bộ Tài chính', { coordinatingUnits: ['Bộ Tư pháp', 'Sở Tư pháp'] })).expect(400);
    expect(coordinating.body.details.map((d: { field: string }) => d.field)).toEqual(['coordinatingUnits.1']);
  });

  it('keeps a former province\'s scope through its successor (seeded merger of Bắc Giang into Bắc Ninh)', async () => {
    const client = await h.gateway.connection({ unit: 'Tỉnh ủy Bắc Giang' });
    const [stored] = await sql<{ scope: { writeUnits: string[] } }>('SELECT scope FROM connections WHERE id = $1', [client.connectionId]);
    expect(stored.scope.writeUnits).toEqual(['GW-T-BAC-NINH']);
    // An agreement recorded before the register still names the former province: it passes on too.
    // (Raw SQL on purpose: the API no longer writes names into a scope; this is the data an old release left.)
    await sql(`UPDATE connections SET scope = jsonb_set(jsonb_set(scope, '{writeUnits}', '["Tỉnh ủy Bắc Giang"]'), '{readUnits}', '["24"]') WHERE id = $1`, [client.connectionId]);
    const bacGiang = await h.gateway.as(client);
    const put = await bacGiang.put('/api/v1/task-results/BN-1').send(taskResult('BN-1', 'Tỉnh ủy Bắc Ninh')).expect(201);
    expect(put.body.leadUnitCode).toBe('GW-T-BAC-NINH');
    expect((await bacGiang.put('/api/v1/task-results/BN-2').send(taskResult('BN-2', 'Bắc Giang')).expect(201)).body.leadUnitCode).toBe('GW-T-BAC-NINH');
    const pulled = await bacGiang.get('/api/v1/task-results?leadUnitCode=27').expect(200);
    expect(pulled.body.items.map((i: { taskCode: string }) => i.taskCode)).toEqual(['BN-1', 'BN-2']);
    await bacGiang.put('/api/v1/task-results/BN-3').send(taskResult('BN-3', 'Lạng Sơn')).expect(403);
  });

  it('lets the DTD create and merge units on the control plane; a scope on the merged unit passes to its successor, in the connection\'s history', async () => {
    const dtd = h.as(reviewer);
    const one = { code: `T1-${suffix}`, name: `Xã Thử Nghiệm Một ${suffix}`, kind: 'COMMUNE', parentCode: '38', source: 'Đơn vị thử nghiệm (kiểm thử)' };
    const two = { ...one, code: `T2-${suffix}`, name: `Xã Thử Nghiệm Hai ${suffix}` };
    expect((await h.as(unitAdmin).post('/control/v1/units').send(one).expect(403)).body.code).toBe('ROLE_NOT_ALLOWED');
    const badParent = await dtd.post('/control/v1/units').send({ ...one, parentCode: 'NOPE' }).expect(400);
    expect(badParent.body.details).toEqual([{ field: 'parentCode', problem: '"NOPE" is not a code of the unit register' }]);
    await dtd.post('/control/v1/units').send(one).expect(201);
    await dtd.post('/control/v1/units').send(two).expect(201);
    await dtd.post('/control/v1/units').send(one).expect(409);
    expect((await dtd.post('/control/v1/units').send({ ...one, code: `T3-${suffix}` }).expect(400)).body.details[0].field).toBe('name');

    const commune = await h.gateway.connection({ unit: one.name });
    const system = await h.gateway.as(commune);
    const provinceReader = await h.gateway.as(await h.gateway.connection({ unit: 'Tỉnh ủy Thanh Hóa', name: 'province reader', scope: { writeUnits: [], readUnits: ['Tỉnh Thanh Hóa'], directions: ['pull'] } }));
    await system.put('/api/v1/task-results/C-1').send(taskResult('C-1', one.name)).expect(201);
    await system.put('/api/v1/task-results/C-2').send(taskResult('C-2', two.name)).expect(403);

    const merged = await dtd.post(`/control/v1/units/${one.code}/merge`).send({ successorCode: two.code, effectiveOn: '2026-07-01', source: 'Nghị quyết thử nghiệm' }).expect(201);
    expect(merged.body).toMatchObject({ code: one.code, validTo: '2026-06-30', successorCode: two.code, currentCode: two.code });
    await dtd.post(`/control/v1/units/${one.code}/merge`).send({ successorCode: two.code, effectiveOn: '2026-07-01', source: 'Nghị quyết thử nghiệm' }).expect(409);

    const history = (await dtd.get(`/control/v1/connections/${commune.connectionId}/history`).expect(200)).body.items;
    expect(history.at(-1)).toMatchObject({ action: 'unitMerged', changes: { unit: one.code, successor: two.code, scope: { writeUnits: [two.code] } } });
    const detail = (await h.as(unitAdmin).get(`/control/v1/units/${two.code}`).expect(200)).body;
    expect(detail.predecessorCodes).toEqual([one.code]);
    const oneDetail = (await dtd.get(`/control/v1/units/${one.code}`).expect(200)).body;
    expect(oneDetail.history.map((e: { action: string }) => e.action)).toEqual(['CREATE', 'MERGE']);
    const [audited] = await sql<{ action: string }>(`SELECT action FROM audit_entries WHERE path = $1 AND status_code = 201`, [`/control/v1/units/${one.code}/merge`]);
    expect(audited.action).toBe('units.manage');

    // The successor's records, and the merged unit's own, are the connection's now; the old name lands on the successor.
    const c2 = await system.put('/api/v1/task-results/C-2').send(taskResult('C-2', two.name)).expect(201);
    expect(c2.body.leadUnitCode).toBe(two.code);
    expect((await system.put('/api/v1/task-results/C-3').send(taskResult('C-3', one.name)).expect(201)).body.leadUnitCode).toBe(two.code);
    await system.put('/api/v1/task-results/C-1').send(taskResult('C-1', one.name, { priority: 1 })).expect(200);
    const pulled = await system.get(`/api/v1/task-results?leadUnitCode=${two.code}`).expect(200);
    expect(pulled.body.items.map((i: { taskCode: string; leadUnitCode: string }) => [i.taskCode, i.leadUnitCode])).toEqual([['C-2', two.code], ['C-3', two.code], ['C-1', two.code]]);

    // A read scope on the province covers its communes.
    const read = await provinceReader.get('/api/v1/task-results').expect(200);
    expect(read.body.items.map((i: { taskCode: string }) => i.taskCode)).toEqual(expect.arrayContaining(['C-1', 'C-2', 'C-3', 'TH-1']));
  });

  it('places a record stored before the register under a name it did not know once the DTD adds that unit', async () => {
    const name = `Ban Thử Nghiệm ${suffix}`;
    const client = await h.gateway.connection({ unit: 'Bộ Tài chính', name: 'legacy' });
    // Raw SQL on purpose, as above: a read scope naming a unit the register does not know is what an old release left.
    await sql(`UPDATE connections SET scope = jsonb_set(scope, '{readUnits}', jsonb_build_array($2::text)) WHERE id = $1`, [client.connectionId, name]);
    const legacy = await h.gateway.as(client);
    const stored = await legacy.put('/api/v1/task-results/OLD-1').send(taskResult('OLD-1', 'Bộ Tài chính')).expect(201);
    // As the migration leaves a record whose name the shipped register did not know.
    await sql(`UPDATE task_results SET lead_unit = $1, lead_unit_code = NULL WHERE task_code = 'OLD-1'`, [name]);
    await legacy.get('/api/v1/task-results/OLD-1').expect(404);

    await h.as(reviewer).post('/control/v1/units').send({ code: `BAN-${suffix}`, name, kind: 'CENTRAL_PARTY_BODY', parentCode: 'GW-DB-CCQD', source: 'Đơn vị thử nghiệm (kiểm thử)' }).expect(201);
    const placed = await legacy.get('/api/v1/task-results/OLD-1').expect(200);
    expect(placed.body).toMatchObject({ leadUnit: name, leadUnitCode: `BAN-${suffix}`, version: stored.body.version });
  });

  it('records agreements by unit code, accepting names in any spelling, refusing "*" as a write unit and unknown names with suggestions', async () => {
    const unit = h.as(unitAdmin);
    const dtd = h.as(reviewer);
    const doc = await unit.post('/control/v1/documents').set('Content-Type', 'application/pdf').set('X-File-Name', 'danh-gia.pdf').send(PDF).expect(201);
    const id = (await unit.post('/control/v1/connections').send({ name: 'Hệ thống Tỉnh ủy Thanh Hóa', dossier: dossier(doc.body.documentId) }).expect(201)).body.id;
    const signedScan = await approveWithPaperwork(h, reviewer, id);
    const agreement = (writeUnits: string[], readUnits: string[]) => {
      const base = agreementFor('Tỉnh ủy Thanh Hóa', { documentId: signedScan });
      return { ...base, scope: { ...base.scope, writeUnits, readUnits } };
    };
    const star = await dtd.post(`/control/v1/connections/${id}/agreements`).send(agreement(['*'], ['*'])).expect(400);
    expect(star.body.details).toEqual([{ field: 'scope.writeUnits.0', problem: expect.stringContaining('"*" is not a unit') }]);
    const unknown = await dtd.post(`/control/v1/connections/${id}/agreements`).send(agreement(['Thanh Hoá'], ['Khánh Hoá Mới'])).expect(400);
    expect(unknown.body.details).toEqual([{ field: 'scope.readUnits.0', problem: expect.stringContaining('Tỉnh Khánh Hòa (GW-T-KHANH-HOA)') }]);
    const agreed = await dtd.post(`/control/v1/connections/${id}/agreements`).send(agreement(['Tỉnh ủy Thanh Hoá', '38'], ['*'])).expect(200);
    expect(agreed.body.scope).toMatchObject({ writeUnits: ['38'], readUnits: ['*'] });
  });
});
