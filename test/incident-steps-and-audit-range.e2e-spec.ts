import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Role } from '../src/accounts/roles.js';
import { AUDIT_COMMANDS } from '../src/cli/audit-commands.js';
import { ControlPlaneHarness, Person } from './support/control-plane-harness.js';
import { resetDatabase } from './support/test-database.js';

describe('control plane: incident steps in order, audit ranges the right way round (issue 12)', () => {
  let h: ControlPlaneHarness;
  let officer: Person;
  let auditor: Person;

  beforeAll(async () => {
    await resetDatabase();
    h = await ControlPlaneHarness.start();
    const admin = await h.bootstrapAdmin();
    officer = await h.person(admin, 'dtd.security', Role.SECURITY_OFFICER);
    auditor = await h.person(admin, 'inspector', Role.AUDITOR);
  });
  afterAll(() => h.stop());

  it('stamps the response steps of an incident only in the order of Appendix III.III, naming the next one', async () => {
    const sec = h.as(officer);
    const { id } = (await sec.post('/control/v1/incidents').send({ reasonCode: 'PHISHING_CAMPAIGN', summary: 'Phishing against unit administrators' }).expect(201)).body;
    const documentId = (await sec.post('/control/v1/documents').set('Content-Type', 'application/pdf').send(Buffer.from('%PDF-1.4\nx\n%%EOF\n')).expect(201)).body.documentId;
    const document = { number: '45/BC-CĐS', date: '2026-12-01', recipient: 'Cục A05, Bộ Công an', documentId };
    const stamp = (step: string) => sec.post(`/control/v1/incidents/${id}/steps`).send(step === 'CLOSED' ? { step } : { step, document });

    const unclassified = await stamp('REPORTED_TO_AUTHORITY').expect(409);
    expect(unclassified.body).toMatchObject({ code: 'NOT_CLASSIFIED', message: expect.stringContaining('classification') });
    await sec.post(`/control/v1/incidents/${id}/classification`).send({ severity: 'MEDIUM' }).expect(200);

    for (const early of ['CLOSED', 'REVIEW_WRITTEN', 'OFFICIAL_REPORT_SENT']) {
      const refused = await stamp(early).expect(409);
      expect(refused.body).toMatchObject({ code: 'STEP_OUT_OF_ORDER', message: `Cannot record ${early} yet: the next step is REPORTED_TO_AUTHORITY`, requestId: expect.any(String) });
    }
    await stamp('REPORTED_TO_AUTHORITY').expect(200);
    expect((await stamp('CLOSED').expect(409)).body.message).toContain('the next step is OFFICIAL_REPORT_SENT');
    await stamp('OFFICIAL_REPORT_SENT').expect(200);
    expect((await stamp('CLOSED').expect(409)).body.message).toContain('the next step is REVIEW_WRITTEN');
    await stamp('REVIEW_WRITTEN').expect(200);
    const closed = await stamp('CLOSED').expect(200);
    expect(closed.body).toMatchObject({ reportedAt: expect.any(String), officialReportAt: expect.any(String), reviewAt: expect.any(String), closedAt: expect.any(String) });
    expect(Date.parse(closed.body.closedAt)).toBeGreaterThanOrEqual(Date.parse(closed.body.reviewAt));
    expect((await stamp('CLOSED').expect(409)).body.code).toBe('STEP_ALREADY_DONE');
  });

  it('answers a range whose from is after its to with 400 naming the fields, on export, verification and search', async () => {
    const audit = h.as(auditor);
    const inverted = 'from=2026-12-02T00:00:00Z&to=2026-12-01T00:00:00Z';
    for (const route of ['export', 'verification', 'entries']) {
      const refused = await audit.get(`/control/v1/audit/${route}?${inverted}`).expect(400);
      expect(refused.body).toMatchObject({ statusCode: 400, details: [{ field: 'to', problem: 'must not be before from (2026-12-02T00:00:00Z)' }], requestId: expect.any(String) });
    }
    // The same instant at both ends, or only one end, is a range.
    await audit.get('/control/v1/audit/export?from=2026-12-01T00:00:00Z&to=2026-12-01T00:00:00Z').expect(200);
    await audit.get('/control/v1/audit/entries?to=2026-12-01T00:00:00Z').expect(200);
  });

  it('refuses the same inverted range on the operator CLI, and writes no file', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'audit-range-')), 'export.json');
    await expect(
      AUDIT_COMMANDS['audit:export'].run(h.gateway.operator, ['--out', file, '--from', '2026-12-02T00:00:00Z', '--to', '2026-12-01T00:00:00Z'], () => undefined),
    ).rejects.toThrow('to (2026-12-01T00:00:00.000Z) is before from (2026-12-02T00:00:00.000Z): nothing to export');
    expect(fs.existsSync(file)).toBe(false);
  });
});
