import { Role } from '../src/accounts/roles.js';
import { ControlPlaneHarness, Person } from './support/control-plane-harness.js';
import { waitFor, WebhookReceiver } from './support/security-helpers.js';
import { resetDatabase } from './support/test-database.js';

/**
 * GET /control/v1/security-alerts: the alert outbox as the officer on duty reads it, newest first,
 * with its delivery to the alert webhook. The webhook here takes only the first incident's alert
 * and refuses the others (503), so one alert is delivered and the rest stay pending.
 */
describe('security alerts in the control plane', () => {
  let h: ControlPlaneHarness;
  let officer: Person;
  let auditor: Person;
  let unitAdmin: Person;
  let webhook: WebhookReceiver;

  beforeAll(async () => {
    await resetDatabase();
    webhook = await WebhookReceiver.start(0, (body) => body.incident?.summary === 'Dò quét lần một');
    h = await ControlPlaneHarness.start({ SECURITY_ALERT_WEBHOOK_URL: webhook.url });
    const admin = await h.bootstrapAdmin();
    officer = await h.person(admin, 'alerts.officer', Role.SECURITY_OFFICER);
    auditor = await h.person(admin, 'alerts.auditor', Role.AUDITOR);
    unitAdmin = await h.person(admin, 'alerts.unit', Role.UNIT_ADMIN, 'Bộ Tài chính');
    for (const summary of ['Dò quét lần một', 'Dò quét lần hai']) {
      await h.as(officer).post('/control/v1/incidents').send({ reasonCode: 'PROBE_SUSPECTED', summary }).expect(201);
    }
  }, 120_000);
  afterAll(async () => {
    await h.stop();
    await webhook.stop();
  });

  it('lists the alerts newest first, page by page, each with what was sent and whether it was delivered', async () => {
    const first = (await h.as(officer).get('/control/v1/security-alerts').query({ limit: 1 }).expect(200)).body;
    expect(first.items).toHaveLength(1);
    expect(first.items[0]).toMatchObject({ kind: 'INCIDENT_OPENED', deliveredAt: null, body: { kind: 'INCIDENT_OPENED', incident: { summary: 'Dò quét lần hai' } } });
    expect(first.items[0].body.alertId).toBe(first.items[0].id);
    const second = (await h.as(officer).get('/control/v1/security-alerts').query({ limit: 1, cursor: first.nextCursor }).expect(200)).body;
    expect(second.items[0].body.incident.summary).toBe('Dò quét lần một');

    // Before them, the accounts' activation alerts: the officer's half of each activation code.
    const all = (await h.as(officer).get('/control/v1/security-alerts').expect(200)).body.items;
    expect(all.map((a: { kind: string }) => a.kind)).toEqual(['INCIDENT_OPENED', 'INCIDENT_OPENED', 'ACCOUNT_ACTIVATION_ISSUED', 'ACCOUNT_ACTIVATION_ISSUED', 'ACCOUNT_ACTIVATION_ISSUED']);
    const list = async (undelivered: string) => (await h.as(officer).get('/control/v1/security-alerts').query({ undelivered }).expect(200)).body.items.map((a: { id: string }) => a.id);
    // The webhook takes the first incident's alert: once it has, that one alone is delivered.
    await waitFor(async () => webhook.received.some((r) => r.body.alertId === second.items[0].id));
    await waitFor(async () => (await list('false')).length > 0);
    expect(await list('false')).toEqual([second.items[0].id]);
    expect(await list('true')).toHaveLength(all.length - 1);
  });

  it("is for the security officers only (it carries the officer's half of activation codes), and names a bad filter", async () => {
    await h.as(unitAdmin).get('/control/v1/security-alerts').expect(403);
    await h.as(auditor).get('/control/v1/security-alerts').expect(403);
    const refused = (await h.as(officer).get('/control/v1/security-alerts').query({ undelivered: 'maybe' }).expect(400)).body;
    expect(JSON.stringify(refused.details)).toContain('undelivered');
  });
});
