import { jest } from '@jest/globals';
import crypto from 'node:crypto';
import { Role } from '../src/accounts/roles.js';
import { WebhookDispatcher } from '../src/notifications/webhook-dispatcher.service.js';
import { ControlPlaneHarness, Person, webhookReceiver } from './support/control-plane-harness.js';
import { dossier, PDF } from './support/lifecycle-papers.js';
import { waitFor } from './support/security-helpers.js';
import { resetDatabase, sql } from './support/test-database.js';

const MOF = 'Bộ Tài chính';


interface Delivery {
  id: string;
  kind: string;
  url: string;
  status: string;
  attempts: number;
  lastError: string | null;
  nextAttemptAt: string | null;
  gaveUpAt: string | null;
}

/** Unit and DTD people, and a way to make the gateway tell the unit something: a returned dossier. */
async function people(h: ControlPlaneHarness) {
  const admin = await h.bootstrapAdmin();
  const unitAdmin = await h.person(admin, 'mof.admin', Role.UNIT_ADMIN, MOF);
  const reviewer = await h.person(admin, 'dtd.reviewer', Role.DTD_REVIEWER);
  const unit = h.as(unitAdmin);
  const doc = await unit.post('/control/v1/documents').set('Content-Type', 'application/pdf').send(PDF).expect(201);
  const registered = await unit.post('/control/v1/connections').send({ name: 'Hệ thống của Bộ', dossier: dossier(doc.body.documentId) }).expect(201);
  let returned = 0;
  /** DTD returns the dossier (a RETURNED notice for the unit), and the unit resubmits it. */
  const notifyUnit = async () => {
    await h.as(reviewer).post(`/control/v1/connections/${registered.body.id}/appraisal`).send({ decision: 'RETURN', reasons: `Thiếu hồ sơ ${++returned}` }).expect(200);
    await unit.post(`/control/v1/connections/${registered.body.id}/resubmit`).send({ dossier: dossier(doc.body.documentId), note: 'Bổ sung' }).expect(200);
  };
  return { admin, unit, notifyUnit };
}

describe('unit webhooks: https only, a delivery log, bounded retries to the current URL', () => {
  let h: ControlPlaneHarness;
  let admin: Person;
  let unit: ReturnType<ControlPlaneHarness['as']>;
  let notifyUnit: () => Promise<void>;
  const dispatch = () => h.control.get(WebhookDispatcher).dispatchDue();
  const log = async (): Promise<Delivery[]> => (await unit.get('/control/v1/notifications/webhook/deliveries').expect(200)).body.items;
  /** Moves the gateway's Clock past the back-off (the first three are 5, 10 and 20 s) instead of waiting. */
  const dueNow = () => h.gateway.clock.advance(60_000);

  beforeAll(async () => {
    await resetDatabase();
    h = await ControlPlaneHarness.start({ WEBHOOK_MAX_ATTEMPTS: '3', WEBHOOK_FAILURE_NOTICE_AFTER: '2' });
    ({ admin, unit, notifyUnit } = await people(h));
  });
  afterAll(() => h.stop());

  it('refuses an http:// webhook even where private targets are allowed', async () => {
    const refused = await unit.put('/control/v1/notifications/webhook').send({ url: 'http://127.0.0.1:9/hook' }).expect(400);
    expect(refused.body).toMatchObject({ code: 'WEBHOOK_TARGET_REFUSED', details: [{ field: 'url', problem: 'must be an https:// URL' }] });
    await unit.get('/control/v1/notifications/webhook').expect(404);
  });

  it('shows the unit its failing deliveries, tells it in its inbox, and gives up after the last attempt', async () => {
    const broken = await webhookReceiver(Infinity);
    try {
      await unit.put('/control/v1/notifications/webhook').send({ url: broken.url }).expect(200);
      await notifyUnit();
      await dispatch();
      let [delivery] = await log();
      expect(delivery).toMatchObject({ kind: 'RETURNED', url: broken.url, status: 'RETRYING', attempts: 1, lastError: 'HTTP 503', gaveUpAt: null });
      expect(Date.parse(delivery.nextAttemptAt!)).toBeGreaterThan(Date.now());
      expect((await unit.get('/control/v1/notifications').expect(200)).body.items.map((n: { kind: string }) => n.kind)).toEqual(['RETURNED']);

      dueNow();
      await dispatch();
      // Two failures in a row: the unit hears of it where it already looks, once.
      const inbox = (await unit.get('/control/v1/notifications').expect(200)).body.items;
      expect(inbox.map((n: { kind: string }) => n.kind)).toEqual(['RETURNED', 'WEBHOOK_FAILING']);
      expect(inbox[1].message).toContain('HTTP 503');
      expect((await unit.get('/control/v1/notifications/webhook').expect(200)).body).toMatchObject({ url: broken.url, consecutiveFailures: 2, failingSince: expect.any(String) });

      dueNow();
      await dispatch();
      [delivery] = await log();
      expect(delivery).toMatchObject({ status: 'GAVE_UP', attempts: 3, nextAttemptAt: null, gaveUpAt: expect.any(String) });
      expect(delivery.lastError).toBe('HTTP 503; given up after 3 attempt(s)');
      dueNow();
      await dispatch();
      expect(broken.attempts).toBe(3); // given up means no fourth try
      expect((await unit.get('/control/v1/notifications').expect(200)).body.items.filter((n: { kind: string }) => n.kind === 'WEBHOOK_FAILING')).toHaveLength(1);
    } finally {
      await broken.close();
    }
  });

  it('sends a delivery queued before a webhook change to the new URL, at once', async () => {
    const old = await webhookReceiver(Infinity);
    const fixed = await webhookReceiver(0);
    try {
      await unit.put('/control/v1/notifications/webhook').send({ url: old.url }).expect(200);
      await notifyUnit();
      await dispatch();
      expect(old.attempts).toBe(1);
      const { secret } = (await unit.put('/control/v1/notifications/webhook').send({ url: fixed.url }).expect(200)).body;
      // No waiting out the back-off, and not a single further try at the old URL.
      await dispatch();
      expect(old.attempts).toBe(1);
      expect(fixed.received.map((r) => r.body.kind)).toEqual(['RETURNED']);
      const [delivery] = await log();
      expect(delivery).toMatchObject({ url: fixed.url, status: 'DELIVERED', attempts: 2, lastError: null, nextAttemptAt: null });
      // Signed with the secret of the webhook it went to.
      const [, t, mac] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(fixed.received[0].signature)!;
      expect(mac).toBe(crypto.createHmac('sha256', secret).update(`${t}.${fixed.received[0].delivery}.${fixed.received[0].raw}`).digest('hex'));
      // A delivery resets the run of failures.
      expect((await unit.get('/control/v1/notifications/webhook').expect(200)).body).toMatchObject({ consecutiveFailures: 0, failingSince: null });
    } finally {
      await old.close();
      await fixed.close();
    }
  });

  it("keeps each unit to its own webhook and delivery log", async () => {
    expect((await log()).length).toBeGreaterThan(0);
    const other = h.as(await h.person(admin, 'moj.admin', Role.UNIT_ADMIN, 'Bộ Tư pháp'));
    expect((await other.get('/control/v1/notifications/webhook/deliveries').expect(200)).body.items).toEqual([]);
    await other.get('/control/v1/notifications/webhook').expect(404);
  });
});

describe('unit webhooks where private targets are refused', () => {
  let h: ControlPlaneHarness;
  let unit: ReturnType<ControlPlaneHarness['as']>;
  let notifyUnit: () => Promise<void>;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);

  beforeAll(async () => {
    await resetDatabase();
    process.on('unhandledRejection', onUnhandled);
    // The dispatcher runs on its own timer here, every 100 ms.
    h = await ControlPlaneHarness.start({ WEBHOOK_ALLOW_PRIVATE_TARGETS: 'false', BACKGROUND_INTERVAL_MS: '100' });
    ({ unit, notifyUnit } = await people(h));
  });
  afterAll(async () => {
    process.off('unhandledRejection', onUnhandled);
    await h.stop();
  });

  it('refuses an internal target without saying what address it resolved to', async () => {
    for (const url of ['https://localhost/hook', 'https://127.0.0.1/hook', 'https://[::1]/hook', 'https://10.1.2.3/hook']) {
      const refused = await unit.put('/control/v1/notifications/webhook').send({ url }).expect(400);
      expect(refused.body.details).toEqual([{ field: 'url', problem: "is not an allowed target: it points into the gateway's own network" }]);
      expect(JSON.stringify(refused.body)).not.toMatch(/127\.0\.0\.1\)|::1\)|10\.1\.2\.3\)/);
    }
  });

  it('keeps dispatching through a failing database query, and records a refused target without its address', async () => {
    // A webhook whose name pointed outside when it was registered and inside now (DNS rebinding).
    await sql(`INSERT INTO unit_webhooks (unit, url, secret) VALUES ($1, 'https://localhost:9/hook', 's')`, [MOF]);
    // The timer's runs, watched (not replaced): each one's outcome is kept.
    const runs = jest.spyOn(h.control.get(WebhookDispatcher), 'dispatchDue');
    await sql(`ALTER TABLE webhook_deliveries RENAME TO webhook_deliveries_away`);
    try {
      // Three runs that started after the table went away, and whose query failed.
      const failed = await waitFor(async () => {
        const outcomes = await Promise.allSettled(runs.mock.results.map((r) => r.value as Promise<number>));
        return outcomes.filter((o) => o.status === 'rejected').length >= 3 && outcomes;
      });
      expect(failed.some((o) => o.status === 'rejected' && /webhook_deliveries/.test(String(o.reason)))).toBe(true);
      expect(unhandled).toEqual([]);
    } finally {
      runs.mockRestore();
      await sql(`ALTER TABLE webhook_deliveries_away RENAME TO webhook_deliveries`);
    }
    await notifyUnit();
    // The timer, not the test, delivers (tries to): the loop outlived its failures.
    let delivery: Delivery | undefined;
    for (let n = 0; n < 100 && !delivery?.attempts; n++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      [delivery] = (await unit.get('/control/v1/notifications/webhook/deliveries').expect(200)).body.items;
    }
    expect(delivery).toMatchObject({ status: 'RETRYING', attempts: 1, lastError: "target refused: is not an allowed target: it points into the gateway's own network" });
    expect(unhandled).toEqual([]);
  });
});
