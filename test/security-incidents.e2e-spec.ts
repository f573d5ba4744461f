import { jest } from '@jest/globals';
import { CredentialStatusService } from '../src/auth/credential-status.service.js';
import { ConnectionSuspensionService } from '../src/security/suspension/connection-suspension.service.js';
import { WorkingCalendar } from '../src/calendar/working-calendar.js';
import { IncidentsService } from '../src/security/incidents/incidents.service.js';
import { SecurityError } from '../src/security/security-errors.js';
import { GatewayHarness } from './support/gateway-harness.js';
import { connectionState, redisEnv, sha256, waitFor } from './support/security-helpers.js';
import { sql } from './support/test-database.js';

const UNIT = 'Tỉnh ủy Bắc Ninh';
const MINUTE = 60_000;

/** The document a reporting step was sent with (its file is not looked up at this level). */
const SENT = { number: '45/BC-CĐS', date: '2026-12-04', recipient: 'Cục A05, Bộ Công an', documentId: '6f1d0c52-3f55-4b8e-9d2a-5b1f1f6d2a11' };

describe('security: a suspension reaches every instance by pub/sub, not by cache expiry', () => {
  let first: GatewayHarness;
  let second: GatewayHarness;

  beforeAll(async () => {
    const shared = redisEnv();
    first = await GatewayHarness.start(shared);
    second = await GatewayHarness.start(shared);
  });
  afterAll(async () => {
    await first.stop();
    await second.stop();
  });

  it('is refused on the other instance at once (pub/sub, before its status cache expires), and restored the same way', async () => {
    // The status cache made to outlive the test: the other instance can only learn of the
    // suspension (and of the restoration) from the pub/sub message, never from an expiry. How
    // fast that message travels is the bench's business, not a timed assertion's.
    const cacheMs = Object.getOwnPropertyDescriptor(CredentialStatusService, 'CACHE_MS')!;
    Object.defineProperty(CredentialStatusService, 'CACHE_MS', { ...cacheMs, value: 10 * 60_000 });
    try {
      await suspendAndRestoreAcrossInstances();
    } finally {
      Object.defineProperty(CredentialStatusService, 'CACHE_MS', cacheMs);
    }
  });

  async function suspendAndRestoreAcrossInstances(): Promise<void> {
    const client = await first.connection({ unit: UNIT, env: 'production' });
    const onSecond = await second.as(client);
    await onSecond.get('/api/v1/task-results').expect(200); // the second instance now caches the status
    const invalidated = jest.spyOn(second.app.get(CredentialStatusService), 'invalidate');

    const outcome = await first.app.get(ConnectionSuspensionService).suspend(client.connectionId, 'MANUAL_CUT_OFF', 'officer@dtd');
    expect(outcome).toMatchObject({ suspended: true, previousState: 'LIVE' });
    const refused = await waitFor(async () => {
      const response = await onSecond.get('/api/v1/task-results');
      return response.status === 403 ? response : null;
    }, 30_000, 20);
    expect(invalidated).toHaveBeenCalled();
    expect(refused.body).toMatchObject({ code: 'CONNECTION_SUSPENDED', message: expect.stringContaining('MANUAL_CUT_OFF') });

    // Suspending again changes nothing.
    expect(await first.app.get(ConnectionSuspensionService).suspend(client.connectionId, 'MANUAL_CUT_OFF', 'officer@dtd')).toMatchObject({ suspended: false });

    const restored = await first.app.get(ConnectionSuspensionService).restore(client.connectionId, 'officer@dtd', 'Remediation report No. 12 confirmed by the cyber security unit');
    expect(restored).toEqual({ restoredTo: 'LIVE' });
    await waitFor(async () => (await onSecond.get('/api/v1/task-results')).status === 200, 30_000, 20);
    expect(await connectionState(client.connectionId)).toEqual({ state: 'LIVE', suspension_reason: null });
    const [record] = await sql(`SELECT * FROM connection_suspensions WHERE connection_id = $1`, [client.connectionId]);
    expect(record).toMatchObject({ previous_state: 'LIVE', reason_code: 'MANUAL_CUT_OFF', suspended_by: 'officer@dtd', restored_by: 'officer@dtd' });
    expect(record.restore_justification).toContain('Remediation report');
  }

  it('a restarted instance starts from the database state', async () => {
    const client = await first.connection({ unit: UNIT });
    await first.app.get(ConnectionSuspensionService).suspend(client.connectionId, 'MANUAL_CUT_OFF', 'officer@dtd');
    const fresh = await GatewayHarness.start();
    try {
      const refused = await fresh.call(client, 'post', '/api/v1/oauth/token').send({ grant_type: 'client_credentials' }).expect(403);
      expect(refused.body.code).toBe('CONNECTION_SUSPENDED');
    } finally {
      await fresh.stop();
    }
  });

  it('restoring needs a justification and a suspended connection', async () => {
    const client = await first.connection({ unit: UNIT });
    const suspensions = first.app.get(ConnectionSuspensionService);
    await expect(suspensions.restore(client.connectionId, 'officer@dtd', 'ok')).rejects.toMatchObject({ kind: 'CONFLICT', code: 'NOT_SUSPENDED' });
    await suspensions.suspend(client.connectionId, 'MANUAL_CUT_OFF', 'officer@dtd');
    await expect(suspensions.restore(client.connectionId, 'officer@dtd', '  ')).rejects.toBeInstanceOf(SecurityError);
    await expect(suspensions.suspend(client.connectionId, 'not a code', 'officer@dtd')).rejects.toMatchObject({ code: 'INVALID_REASON_CODE' });
  });
});

describe('security: incidents and their deadlines (Appendix III.III)', () => {
  let harness: GatewayHarness;
  let incidents: IncidentsService;

  beforeAll(async () => {
    harness = await GatewayHarness.start();
    incidents = harness.app.get(IncidentsService);
  });
  afterAll(() => harness.stop());

  it("a unit's own report (IV.5.d) suspends its connection at once, keeps the report as evidence and queues an alert", async () => {
    const client = await harness.connection({ unit: UNIT });
    const caller = await harness.as(client);
    const report = { reportedBy: 'Văn phòng Tỉnh ủy', what: 'credential leak suspected', at: '2026-11-20T08:00:00+07:00' };
    const incident = await incidents.openFromUnitReport({
      connectionId: client.connectionId,
      reasonCode: 'UNIT_REPORTED_CREDENTIAL_LEAK',
      summary: 'The unit reports that its client key may have leaked',
      actor: 'Văn phòng Tỉnh ủy',
      evidence: { kind: 'report', content: report },
    });
    expect(incident).toMatchObject({ source: 'UNIT_REPORT', severity: null, connectionId: client.connectionId });
    expect(await connectionState(client.connectionId)).toEqual({ state: 'SUSPENDED', suspension_reason: 'UNIT_REPORTED_CREDENTIAL_LEAK' });
    const refused = await caller.get('/api/v1/task-results').expect(403);
    expect(refused.body.code).toBe('CONNECTION_SUSPENDED');

    const [evidence] = await incidents.evidence(incident.id);
    expect(evidence).toMatchObject({ kind: 'report', content: report, intact: true });
    const [stored] = await sql(`SELECT content, sha256 FROM incident_evidence WHERE id = $1`, [evidence.id]);
    expect(stored.sha256).toBe(sha256(stored.content as string));
    const [alert] = await sql(`SELECT * FROM security_alerts WHERE incident_id = $1`, [incident.id]);
    expect(JSON.parse(alert.payload as string)).toMatchObject({ kind: 'INCIDENT_OPENED', incident: { source: 'UNIT_REPORT' }, connectionSuspended: true });
  });

  it('flags each response step overdue once its deadline passes, until it is done', async () => {
    const incident = await incidents.openManual({ connectionId: null, reasonCode: 'PHISHING_CAMPAIGN', summary: 'Phishing against unit administrators', actor: 'officer@dtd' });
    const opened = incident.openedAt.getTime();
    const at = (ms: number) => new Date(opened + ms);
    const flags = async (now: Date) => (await incidents.get(incident.id, now)).overdue;

    expect(await flags(at(29 * MINUTE))).toEqual({ classification: false, reportToAuthority: false, officialReport: false, review: false });
    expect(await flags(at(31 * MINUTE))).toMatchObject({ classification: true, reportToAuthority: false });
    const listed = await incidents.list({ overdueOnly: true }, at(31 * MINUTE));
    expect(listed.map((i) => i.id)).toContain(incident.id);

    await incidents.classify(incident.id, 'MEDIUM');
    expect(await flags(at(121 * MINUTE))).toMatchObject({ classification: false, reportToAuthority: true, officialReport: false });
    await incidents.markStep(incident.id, 'REPORTED_TO_AUTHORITY', SENT);
    await expect(incidents.markStep(incident.id, 'REPORTED_TO_AUTHORITY', SENT)).rejects.toMatchObject({ code: 'STEP_ALREADY_DONE' });
    expect(await flags(at(24 * 60 * MINUTE + MINUTE))).toMatchObject({ reportToAuthority: false, officialReport: true, review: false });
    await incidents.markStep(incident.id, 'OFFICIAL_REPORT_SENT', SENT);

    const view = await incidents.get(incident.id);
    const afterReviewDue = new Date(view.deadlines.review.getTime() + MINUTE);
    expect(await flags(afterReviewDue)).toEqual({ classification: false, reportToAuthority: false, officialReport: false, review: true });
    await incidents.markStep(incident.id, 'REVIEW_WRITTEN', SENT);
    expect((await incidents.get(incident.id, afterReviewDue)).isOverdue).toBe(false);
    const closed = await incidents.markStep(incident.id, 'CLOSED', null);
    expect(closed.closedAt).not.toBeNull();
    expect((await incidents.list({ open: true })).map((i) => i.id)).not.toContain(incident.id);
  });

  it('counts the review deadline in working days, Monday to Friday, in the gateway time zone', () => {
    // Opened on Friday 6 November 2026 at 10:00 in Hà Nội: the 7th working day is Tuesday 17 November.
    const due = new WorkingCalendar('Asia/Ho_Chi_Minh').endOfWorkingDaysAfter(new Date('2026-11-06T10:00:00+07:00'), 7);
    expect(due.toISOString()).toBe('2026-11-17T17:00:00.000Z'); // midnight starting Wednesday 18, local
    // Opened on a Sunday: Monday is the first working day.
    expect(new WorkingCalendar('Asia/Ho_Chi_Minh').endOfWorkingDaysAfter(new Date('2026-11-08T23:00:00+07:00'), 7).toISOString()).toBe('2026-11-17T17:00:00.000Z');
  });

  it('refuses unknown incidents and severities, and closing before classification', async () => {
    await expect(incidents.get('00000000-0000-4000-8000-000000000000')).rejects.toMatchObject({ kind: 'NOT_FOUND' });
    const incident = await incidents.openManual({ connectionId: null, reasonCode: 'TEST_INCIDENT', summary: 'x', actor: 'officer@dtd' });
    await expect(incidents.classify(incident.id, 'CATASTROPHIC' as never)).rejects.toMatchObject({ code: 'INVALID_SEVERITY' });
    await expect(incidents.markStep(incident.id, 'CLOSED', null)).rejects.toMatchObject({ code: 'NOT_CLASSIFIED' });
  });
});
