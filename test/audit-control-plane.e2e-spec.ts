import { jest } from '@jest/globals';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { Role } from '../src/accounts/roles.js';
import { entryFromRow, entryHash, GENESIS_HASH } from '../src/audit/chain/audit-chain.js';
import { journalPath } from '../src/audit/checkpoints/audit-checkpoint-journal.js';
import { AuditCheckpointService } from '../src/audit/checkpoints/audit-checkpoint.service.js';
import { AuditService } from '../src/audit/chain/audit.service.js';
import { type AuditExport, verifyExport } from '../src/audit/archive/audit-export.js';
import { trustedKeys } from '../src/audit/checkpoints/audit-signing-key.js';
import { ControlPlaneRoutes } from '../src/audit/http/control-plane-routes.js';
import { runAuditCommandOffline } from '../src/cli/audit-commands.js';
import { ControlPlaneHarness, Person } from './support/control-plane-harness.js';
import { taskResult } from './support/gateway-harness.js';
import { resetDatabase, sql, testDatabaseUrl } from './support/test-database.js';

const sha256 = (data: string | Buffer) => crypto.createHash('sha256').update(data).digest('hex');
const PDF = Buffer.concat([Buffer.from('%PDF-1.7\n'), crypto.randomBytes(300), Buffer.from('\n%%EOF\n')]);
const MOHA = 'Bộ Nội vụ';

const dossier = (securityAssessmentDocumentId: string) => ({
  dataScope: 'Kết quả thực hiện nhiệm vụ', purpose: 'Báo cáo định kỳ', systemDescription: 'Hệ thống nội bộ', securityLevel: 2,
  technicalContact: { name: 'A', email: 'a@moha.gov.vn', phone: '0241234567' },
  businessContact: { name: 'B', email: 'b@moha.gov.vn', phone: '0241234568' },
  securityAssessmentDocumentId,
  requestLetter: { number: '12/BNV-CNTT', date: '2026-01-05', signedBy: 'Thứ trưởng', documentId: securityAssessmentDocumentId },
});

/** SQL as the database superuser with the triggers off: what an attacker with the database does. */
async function tamper(statement: string, params: unknown[] = []): Promise<void> {
  const client = new pg.Client({ connectionString: testDatabaseUrl() });
  await client.connect();
  try {
    await client.query('SET session_replication_role = replica');
    await client.query(statement, params);
  } finally {
    await client.end();
  }
}


/** A fresh installation's log: the tables emptied, and the checkpoint journal outside them too. */
async function emptyLogAndJournal(config: { DATA_DIR: string; AUDIT_CHECKPOINT_JOURNAL?: string }): Promise<void> {
  await resetDatabase();
  fs.rmSync(journalPath(config), { force: true });
}

type Row = Record<string, any>;
const entryOf = async (requestId: string): Promise<Row> => {
  const rows = await sql<Row>(`SELECT * FROM audit_entries WHERE request_id = $1`, [requestId]);
  expect(rows).toHaveLength(1);
  return rows[0];
};
const rid = (response: { headers: Record<string, string> }) => response.headers['x-request-id'];

describe('audit log: control-plane actions, auditors’ search, verification and export', () => {
  let h: ControlPlaneHarness;
  let admin: Person;
  let auditor: Person;
  let reviewer: Person;

  beforeAll(async () => {
    await resetDatabase();
    h = await ControlPlaneHarness.start({ SIGN_IN_MAX_FAILURES: '5', JSON_BODY_MAX_BYTES: '65536' });
    for (const app of [h.gateway.app, h.control]) app.get(AuditCheckpointService).stopPeriodicSealing();
    admin = await h.bootstrapAdmin();
    auditor = await h.person(admin, 'auditor.one', Role.AUDITOR);
    reviewer = await h.person(admin, 'reviewer.one', Role.DTD_REVIEWER);
  });
  afterAll(() => h.stop());

  const search = (query: Record<string, string | number>, as: Pick<Person, 'session'> = auditor) =>
    h.as(as).get(`/control/v1/audit/entries?${new URLSearchParams(Object.entries(query).map(([k, v]): [string, string] => [k, String(v)]))}`);

  it('knows the declared action and audit declaration (@Audited) of every control-plane route', () => {
    const routes = h.control.get(ControlPlaneRoutes);
    expect(routes.undeclared()).toEqual([]);
    expect(routes.routes().size).toBeGreaterThan(40);
    for (const [key, route] of routes.routes()) expect([key, route.action]).toEqual([key, expect.stringMatching(/^[a-zA-Z]+\.[a-zA-Z]+$/)]);
    expect(routes.lookup('POST', '/control/v1/accounts/:id/handover')).toMatchObject({ action: 'accounts.manage', operationId: 'handOverAccount', audit: { target: 'account' } });
    expect(routes.lookup('POST', '/control/v1/auth/sign-in')).toMatchObject({ action: 'auth.signIn', isPublic: true, audit: { actor: 'sign-in-username', presentedCertificate: true } });
    expect(routes.lookup('HEAD', '/control/v1/audit/entries')).toMatchObject({ action: 'audit.read' });
  });

  it('records the same target types as before the declarations, for every route', () => {
    // Before @Audited, the hook guessed the target type from the URL: the noun before the first
    // path parameter (or the last segment), without its trailing "s". Where that guess named a
    // target, the declaration names the same one; where it named none, none. The one deliberate
    // change: a scheduled report was recorded as "scheduled".
    const guessed = (url: string): string | null => {
      const segments = url.split('/').filter(Boolean);
      const param = segments.findIndex((s) => s.startsWith(':'));
      const noun = param > 0 ? segments[param - 1] : param < 0 ? segments[segments.length - 1] : undefined;
      if (!noun || noun.startsWith(':') || ['v1', 'control', 'auth'].includes(noun)) return null;
      return noun.endsWith('s') ? noun.slice(0, -1) : noun;
    };
    // Routes added since, whose target is keyed by something other than `:id`: the declaration is all there is.
    const DECLARED_SINCE: Record<string, string> = {
      'GET /control/v1/records/task-results/:taskCode/versions': 'record',
      'GET /control/v1/records/kpi-results/:indicatorCode/:period/versions': 'record',
    };
    const CREATES = new Set(['POST /control/v1/connections', 'POST /control/v1/accounts', 'POST /control/v1/delegations', 'POST /control/v1/documents', 'POST /control/v1/incidents']);
    const changed: string[] = [];
    for (const [key, route] of h.control.get(ControlPlaneRoutes).routes()) {
      const [method, url] = key.split(' ');
      const byId = url.includes('/:id') ? guessed(url) : null;
      const before = byId ?? (CREATES.has(key) ? guessed(url) : key === 'POST /control/v1/auth/act-for' ? 'account' : null);
      const now = route.audit.target ?? null;
      if (before === 'scheduled' && now === 'scheduled-report') continue;
      if (key in DECLARED_SINCE) {
        expect([key, now]).toEqual([key, DECLARED_SINCE[key]]);
        continue;
      }
      if (before !== now) changed.push(`${key}: ${before} → ${now}`);
      if (CREATES.has(key)) expect([key, typeof route.audit.createdId]).toEqual([key, 'function']);
      else expect([key, route.audit.createdId]).toEqual([key, undefined]);
      expect(method).toMatch(/^(GET|POST|PUT|DELETE|PATCH)$/);
    }
    expect(changed).toEqual([]);
  });

  it('records an action with its actor, target, outcome and the digest of its body; refusals too', async () => {
    const unit = await h.person(admin, 'unit.record', Role.UNIT_ADMIN, MOHA);
    const doc = await h.as(unit).post('/control/v1/documents').set('Content-Type', 'application/pdf').send(PDF).expect(201);
    const body = JSON.stringify({ name: 'Hệ thống Bộ Nội vụ', dossier: dossier(doc.body.documentId) });
    const registered = await h.as(unit).post('/control/v1/connections').set('Content-Type', 'application/json').send(body).expect(201);

    const entry = await entryOf(rid(registered));
    expect(entry).toMatchObject({
      plane: 'control', entry_format: 2, action: 'connections.register', method: 'POST', path: '/control/v1/connections',
      status_code: 201, outcome: 'success', error_code: null,
      actor_account_id: unit.id, actor_username: 'unit.record', actor_holder_name: 'Holder of unit.record', actor_role: 'UNIT_ADMIN',
      assistant_account_id: null, target_type: 'connection', target_id: registered.body.id, connection_id: registered.body.id,
      payload_sha256: sha256(body), source_address: '127.0.0.1',
    });
    expect(await entryOf(rid(doc))).toMatchObject({ action: 'documents.upload', target_type: 'document', target_id: doc.body.documentId, payload_sha256: sha256(PDF) });

    const path = `/control/v1/connections/${registered.body.id}`;
    expect(await entryOf(rid(await h.as(unit).get(path).expect(200)))).toMatchObject({ action: 'connections.read', method: 'GET', target_type: 'connection', target_id: registered.body.id, payload_sha256: null });

    const refused = await h.as(reviewer).post('/control/v1/connections').send({ name: 'x' }).expect(403);
    expect(await entryOf(rid(refused))).toMatchObject({ action: 'connections.register', actor_username: 'reviewer.one', status_code: 403, outcome: 'rejected', error_code: 'ROLE_NOT_ALLOWED' });
    const anonymous = await h.raw('get', path).expect(401);
    expect(await entryOf(rid(anonymous))).toMatchObject({ action: 'connections.read', actor_account_id: null, actor_username: null, error_code: 'SESSION_MISSING', target_id: registered.body.id });
    const unknown = await h.raw('get', '/control/v1/nothing-here').expect(404);
    expect(await entryOf(rid(unknown))).toMatchObject({ action: null, path: '/control/v1/nothing-here', status_code: 404, actor_account_id: null });
    const probed = await h.as(unit).get('/control/v1/nothing-here').expect(404);
    expect(await entryOf(rid(probed))).toMatchObject({ action: null, actor_account_id: unit.id, actor_username: 'unit.record' });
    const forged = await h.raw('get', '/control/v1/nothing-here').set('Authorization', 'Bearer not.a.session').expect(404);
    expect(await entryOf(rid(forged))).toMatchObject({ actor_account_id: null, actor_username: null });

    // The bytes received are hashed even when they do not parse; a body over the limit is refused
    // before it is read, and the refusal is still answered and recorded.
    const malformed = await h.as(unit).post('/control/v1/connections').set('Content-Type', 'application/json').send('{"name": ').expect(400);
    expect(await entryOf(rid(malformed))).toMatchObject({ error_code: 'MALFORMED_BODY', payload_sha256: sha256('{"name": '), actor_username: 'unit.record' });
    const big = JSON.stringify({ name: 'x'.repeat(200_000) });
    const tooLarge = await h.as(unit).post('/control/v1/connections').set('Content-Type', 'application/json').send(big).expect(413);
    const refusedEntry = await entryOf(rid(tooLarge));
    expect(refusedEntry).toMatchObject({ status_code: 413, error_code: 'PAYLOAD_TOO_LARGE', action: 'connections.register', actor_username: 'unit.record' });
    expect(refusedEntry.payload_sha256).toBeNull();
    // The connection is still usable afterwards (keep-alive or not).
    await h.as(unit).get(path).expect(200);
  });

  it('records the target and details each route declares (@Audited), as before the declarations', async () => {
    const officer = await h.person(admin, 'officer.audited', Role.SECURITY_OFFICER);
    const unit = await h.person(admin, 'unit.audited', Role.UNIT_ADMIN, MOHA);
    const doc = await h.as(unit).post('/control/v1/documents').set('Content-Type', 'application/pdf').send(PDF).expect(201);
    const connection = (await h.as(unit).post('/control/v1/connections').send({ name: 'Hệ thống kiểm toán', dossier: dossier(doc.body.documentId) }).expect(201)).body;
    const ok = (r: { status: number }) => expect(r.status).toBeLessThan(300);

    // A create names what it created (from its answer) and, here, the connection its body names.
    const opened = await h.as(officer).post('/control/v1/incidents').send({ connectionId: connection.id, reasonCode: 'DATA_LEAK_SUSPECTED', summary: 'Nghi lộ dữ liệu' }).expect(ok);
    expect(await entryOf(rid(opened))).toMatchObject({ action: 'incidents.manage', target_type: 'incident', target_id: opened.body.id, connection_id: connection.id, details: null });
    // An action on an account: the account, and its username and holder before the action.
    const locked = await h.as(officer).post(`/control/v1/accounts/${unit.id}/lock`).send({ reason: 'Kiểm tra' }).expect(ok);
    const lockEntry = await entryOf(rid(locked));
    expect(lockEntry).toMatchObject({ action: 'accounts.lock', target_type: 'account', target_id: unit.id, connection_id: null });
    expect(JSON.parse(lockEntry.details)).toEqual({ targetUsername: 'unit.audited', targetHolder: 'Holder of unit.audited' });
    // Path parameters other than :id are kept in the details; a route on no one thing names no target.
    const certificateId = crypto.randomUUID();
    const revoke = await h.as(admin).post(`/control/v1/connections/${connection.id}/certificates/${certificateId}/revoke`).send({ reason: 'Thử' });
    const revokeEntry = await entryOf(rid(revoke));
    expect(revokeEntry).toMatchObject({ action: 'certificates.revoke', target_type: 'connection', target_id: connection.id, connection_id: connection.id });
    expect(JSON.parse(revokeEntry.details)).toEqual({ certificateId });
    const unitRead = await h.as(officer).get('/control/v1/units/01');
    const unitEntry = await entryOf(rid(unitRead));
    expect(unitEntry).toMatchObject({ action: 'units.read', target_type: null, target_id: null });
    expect(JSON.parse(unitEntry.details)).toEqual({ code: '01' });
    const list = await h.as(officer).get('/control/v1/incidents').expect(200);
    expect(await entryOf(rid(list))).toMatchObject({ action: 'incidents.read', target_type: null, target_id: null, details: null, connection_id: null });
  });

  it('records sign-ins, failed ones with the username attempted, and never a digest of the credentials', async () => {
    const person = await h.person(admin, 'officer.signin', Role.SECURITY_OFFICER);
    const wrong = await h.raw('post', '/control/v1/auth/sign-in').send({ username: person.username, password: 'not-the-password' }).expect(401);
    const nobody = await h.raw('post', '/control/v1/auth/sign-in').send({ username: 'no.such.person', password: 'guess-123' }).expect(401);
    const ok = await h.raw('post', '/control/v1/auth/sign-in').send({ username: person.username, password: person.password, totpCode: h.totp(person.totpSecret) }).expect(200);

    expect(await entryOf(rid(wrong))).toMatchObject({
      action: 'auth.signIn', outcome: 'rejected', error_code: 'INVALID_CREDENTIALS',
      actor_account_id: person.id, actor_username: 'officer.signin', actor_holder_name: 'Holder of officer.signin', payload_sha256: null,
    });
    expect(await entryOf(rid(nobody))).toMatchObject({ action: 'auth.signIn', outcome: 'rejected', actor_account_id: null, actor_username: 'no.such.person', actor_holder_name: null, payload_sha256: null });
    expect(await entryOf(rid(ok))).toMatchObject({ action: 'auth.signIn', outcome: 'success', actor_account_id: person.id, payload_sha256: null });
    const everything = JSON.stringify(await sql(`SELECT * FROM audit_entries`));
    for (const secret of ['not-the-password', 'guess-123', person.password, ok.body.accessToken]) expect(everything).not.toContain(secret);

    // The first sign-in and the enrolment of a new account name it too.
    const fresh = await h.as(admin).post('/control/v1/accounts').send({ username: 'fresh.one', role: Role.AUDITOR, holderName: 'Người mới' }).expect(201);
    expect(await entryOf(rid(fresh))).toMatchObject({ action: 'accounts.manage', actor_username: 'admin', target_type: 'account', target_id: fresh.body.account.id });
    expect(JSON.parse((await entryOf(rid(fresh))).details)).toEqual({ holderName: 'Người mới', role: 'AUDITOR', unit: null, username: 'fresh.one' });
    const challenge = await h.raw('post', '/control/v1/auth/sign-in').send({ username: 'fresh.one', password: await h.activate('fresh.one', fresh.body.activation.administratorPart) }).expect(200);
    const secret = new URL(challenge.body.otpauthUri).searchParams.get('secret')!;
    const enrolled = await h.raw('post', '/control/v1/auth/mfa-enrolment').send({ enrolmentToken: challenge.body.enrolmentToken, totpCode: h.totp(secret) }).expect(200);
    expect(await entryOf(rid(enrolled))).toMatchObject({ action: 'auth.completeMfaEnrolment', outcome: 'success', actor_account_id: fresh.body.account.id, actor_holder_name: 'Người mới', payload_sha256: null });

    const failures = await search({ action: 'auth.signIn', outcome: 'rejected' }).expect(200);
    expect(failures.body.entries.map((e: { actor: { username: string } }) => e.actor.username)).toEqual(expect.arrayContaining(['officer.signin', 'no.such.person']));
  });

  it('answers 503 rather than acknowledge what it could not record (no session handed out)', async () => {
    const audit = h.control.get(AuditService);
    const spy = jest.spyOn(audit, 'record');
    try {
      const person = await h.person(admin, 'officer.unrecorded', Role.SECURITY_OFFICER);
      spy.mockRejectedValueOnce(new Error('database down'));
      const response = await h.raw('post', '/control/v1/auth/sign-in').send({ username: person.username, password: person.password, totpCode: h.totp(person.totpSecret) }).expect(503);
      expect(response.body).toMatchObject({ code: 'AUDIT_UNAVAILABLE', requestId: rid(response) });
      expect(response.body.accessToken).toBeUndefined();
      expect(await sql(`SELECT 1 FROM audit_entries WHERE request_id = $1`, [rid(response)])).toEqual([]);
    } finally {
      spy.mockRestore();
    }
  });

  it('names the delegator as actor and the assistant beside them (II.2.c)', async () => {
    const head = await h.person(admin, 'head.unit', Role.UNIT_ADMIN, MOHA);
    const assistant = await h.person(admin, 'assistant.unit', Role.UNIT_ADMIN, MOHA);
    const granted = await h.as(head).post('/control/v1/delegations').send({ assistantId: assistant.id, expiresAt: new Date(Date.now() + 86_400_000).toISOString() }).expect(201);
    const grant = await entryOf(rid(granted));
    expect(grant).toMatchObject({ action: 'delegations.grant', actor_username: 'head.unit', target_type: 'delegation', target_id: granted.body.id });
    expect(JSON.parse(grant.details)).toMatchObject({ assistantId: assistant.id, assistantUsername: 'assistant.unit', assistantHolder: 'Holder of assistant.unit' });

    const actFor = await h.as(assistant).post('/control/v1/auth/act-for').send({ delegatorId: head.id }).expect(200);
    expect(await entryOf(rid(actFor))).toMatchObject({ action: 'sessions.own', actor_username: 'assistant.unit', target_type: 'account', target_id: head.id });
    const delegated = { session: actFor.body.accessToken };

    const doc = await h.as(delegated).post('/control/v1/documents').set('Content-Type', 'application/pdf').send(PDF).expect(201);
    const registered = await h.as(delegated).post('/control/v1/connections').send({ name: 'Hệ thống ủy quyền', dossier: dossier(doc.body.documentId) }).expect(201);
    expect(await entryOf(rid(registered))).toMatchObject({
      action: 'connections.register', connection_id: registered.body.id,
      actor_account_id: head.id, actor_username: 'head.unit', actor_holder_name: 'Holder of head.unit',
      assistant_account_id: assistant.id, assistant_username: 'assistant.unit', assistant_holder_name: 'Holder of assistant.unit',
    });

    // Searching for either person finds the act.
    for (const actor of [head.id, 'assistant.unit']) {
      const found = await search({ actor, action: 'connections.register' }).expect(200);
      expect(found.body.entries).toHaveLength(1);
      expect(found.body.entries[0]).toMatchObject({ requestId: rid(registered), actor: { username: 'head.unit' }, assistant: { username: 'assistant.unit', holderName: 'Holder of assistant.unit' }, target: { type: 'connection', id: registered.body.id } });
    }
  });

  it('records a handover with both holder names, in the account history, the connection history and the audit (II.2.đ)', async () => {
    const unit = await h.person(admin, 'unit.handover', Role.UNIT_ADMIN, MOHA);
    const doc = await h.as(unit).post('/control/v1/documents').set('Content-Type', 'application/pdf').send(PDF).expect(201);
    const registered = await h.as(unit).post('/control/v1/connections').send({ name: 'Hệ thống bàn giao', dossier: dossier(doc.body.documentId) }).expect(201);
    const id = registered.body.id;
    await h.as(reviewer).post(`/control/v1/connections/${id}/appraisal`).send({ decision: 'RETURN', reasons: 'Bổ sung hồ sơ' }).expect(200);

    const handed = await h.as(admin).post(`/control/v1/accounts/${unit.id}/handover`).send({ newHolderName: 'Người kế nhiệm', reason: 'Điều chuyển công tác' }).expect(200);
    const handover = await entryOf(rid(handed));
    expect(handover).toMatchObject({ action: 'accounts.manage', actor_username: 'admin', target_type: 'account', target_id: unit.id, outcome: 'success' });
    expect(JSON.parse(handover.details)).toEqual({ previousHolder: 'Holder of unit.handover', newHolder: 'Người kế nhiệm', reason: 'Điều chuyển công tác' });
    const history = await h.as(admin).get(`/control/v1/accounts/${unit.id}/history`).expect(200);
    expect(history.body.items.find((e: { kind: string }) => e.kind === 'HANDED_OVER').details).toMatchObject({ previousHolder: 'Holder of unit.handover', newHolder: 'Người kế nhiệm' });

    const successor = await h.enrol(unit.id, unit.username, await h.activate(unit.username, handed.body.activation.administratorPart));
    const resubmitted = await h.as(successor).post(`/control/v1/connections/${id}/resubmit`).send({ dossier: dossier(doc.body.documentId), note: 'Đã bổ sung' }).expect(200);
    expect(await entryOf(rid(resubmitted))).toMatchObject({ action: 'connections.resubmit', actor_account_id: unit.id, actor_holder_name: 'Người kế nhiệm', connection_id: id });

    const events = (await h.as(reviewer).get(`/control/v1/connections/${id}/history`).expect(200)).body.items as Array<{ action: string; actorName: string }>;
    expect(events.find((e) => e.action === 'register')!.actorName).toContain('Holder of unit.handover');
    expect(events.find((e) => e.action === 'resubmit')!.actorName).toContain('Người kế nhiệm');

    const byAccount = await search({ actor: unit.id, connectionId: id, plane: 'control' }).expect(200);
    const holders = new Set(byAccount.body.entries.map((e: { actor: { holderName: string } }) => e.actor.holderName));
    expect(holders).toEqual(new Set(['Holder of unit.handover', 'Người kế nhiệm']));
  });

  it('lets auditors search by request id, connection, actor, action, plane, outcome and time, page by page; nobody else', async () => {
    const client = await h.gateway.connection({ unit: 'Bộ Tài chính' });
    const system = await h.gateway.as(client);
    const item = JSON.stringify(taskResult('T-AUDIT-1', 'Bộ Tài chính'));
    const pushed = await system.put('/api/v1/task-results/T-AUDIT-1').set('Content-Type', 'application/json').send(item).expect(201);
    const before = new Date();
    for (let i = 0; i < 5; i++) await system.get(`/api/v1/task-results?limit=${i + 1}`).expect(200);
    const after = new Date();

    const data = await search({ connectionId: client.connectionId }).expect(200);
    expect(data.body.entries).toHaveLength(7); // token, push, 5 pulls
    expect(data.body.entries.find((e: { requestId: string }) => e.requestId === rid(pushed))).toMatchObject({ plane: 'data', method: 'PUT', payloadSha256: sha256(item), actor: null, format: 2 });
    expect(data.body.entries.map((e: { occurredAt: string }) => e.occurredAt)).toEqual([...data.body.entries.map((e: { occurredAt: string }) => e.occurredAt)].sort().reverse());

    // The id a caller quotes from an answer finds that one call, in whatever case it is typed.
    const quoted = await search({ requestId: rid(pushed).toUpperCase() }).expect(200);
    expect(quoted.body.entries.map((e: { requestId: string; method: string }) => [e.requestId, e.method])).toEqual([[rid(pushed), 'PUT']]);
    expect((await search({ requestId: '0190c8f4-0000-7000-8000-000000000000' }).expect(200)).body).toEqual({ entries: [], nextCursor: null });
    expect((await search({ requestId: 'not-a-request-id' }).expect(400)).body.details).toEqual([{ field: 'requestId', problem: expect.stringMatching(/UUID/i) }]);

    const pulls = await search({ connectionId: client.connectionId, plane: 'data', from: before.toISOString(), to: after.toISOString() }).expect(200);
    expect(pulls.body.entries.map((e: { method: string }) => e.method)).toEqual(['GET', 'GET', 'GET', 'GET', 'GET']);

    const pages: string[][] = [];
    let cursor: string | null = null;
    do {
      const query: Record<string, string | number> = { connectionId: client.connectionId, limit: 3 };
      if (cursor) query.cursor = cursor;
      const page = await search(query).expect(200);
      pages.push(page.body.entries.map((e: { seq: string }) => e.seq));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(pages.map((p) => p.length)).toEqual([3, 3, 1]);
    expect(pages.flat()).toEqual(data.body.entries.map((e: { seq: string }) => e.seq));

    const rejected = await search({ plane: 'control', outcome: 'rejected', action: 'connections.register' }).expect(200);
    expect(rejected.body.entries.length).toBeGreaterThan(0);
    expect(rejected.body.entries.every((e: { outcome: string; action: string; plane: string }) => e.outcome === 'rejected' && e.action === 'connections.register' && e.plane === 'control')).toBe(true);
    expect((await search({ actor: 'nobody.at.all' }).expect(200)).body).toEqual({ entries: [], nextCursor: null });
    expect((await search({ cursor: 'bm90LWEtY3Vyc29y' }).expect(400)).body.details).toEqual([{ field: 'cursor', problem: 'is not a nextCursor of this search' }]);
    await search({ plane: 'elsewhere' }).expect(400);

    for (const person of [admin, reviewer]) {
      for (const path of ['/control/v1/audit/entries', '/control/v1/audit/verification', '/control/v1/audit/export']) {
        const refused = await h.as(person).get(path).expect(403);
        expect(refused.body.code).toBe('ROLE_NOT_ALLOWED');
        expect(await entryOf(rid(refused))).toMatchObject({ action: 'audit.read', actor_account_id: person.id, outcome: 'rejected' });
      }
    }
    await h.raw('get', '/control/v1/audit/entries').expect(401);
  });

  it('verifies the log over a range and reports the first mismatch of a tampered row', async () => {
    const checkpoints = h.control.get(AuditCheckpointService);
    await checkpoints.seal();
    const clean = await h.as(auditor).get('/control/v1/audit/verification').expect(200);
    expect(clean.body).toMatchObject({ ok: true, startSeq: '1', archivedThroughSeq: null, firstMismatch: null, failureCount: 0, unsealedEntries: 0, trustedKeyIds: [checkpoints.signingKey().keyId] });
    expect(clean.body.entriesChecked).toBeGreaterThan(50);

    // A row in a later checkpoint is altered: a range ending before that checkpoint still verifies
    // on its own, the whole log does not.
    const [sealedBefore] = (await sql<Row>(`SELECT * FROM audit_checkpoints ORDER BY last_seq DESC LIMIT 1`));
    const listed = await h.as(admin).get('/control/v1/accounts').expect(200);
    await checkpoints.seal();
    const target = await entryOf(rid(listed));
    await tamper(`UPDATE audit_entries SET actor_holder_name = 'Người khác' WHERE seq = $1`, [target.seq]);
    const tampered = await h.as(auditor).get('/control/v1/audit/verification').expect(200);
    expect(tampered.body.ok).toBe(false);
    expect(tampered.body.firstMismatch).toMatchObject({ kind: 'altered', seq: String(target.seq), entryId: String(target.id) });
    expect(tampered.body.failureCount).toBe(1);

    const to = new Date(sealedBefore.period_end).toISOString();
    const ranged = await h.as(auditor).get(`/control/v1/audit/verification?to=${to}`).expect(200);
    expect(ranged.body).toMatchObject({ ok: true, requested: { from: null, to }, endSeq: String(sealedBefore.last_seq) });
    const from = new Date(Date.parse(new Date(target.occurred_at).toISOString()) - 1).toISOString();
    expect((await h.as(auditor).get(`/control/v1/audit/verification?from=${from}`).expect(200)).body.firstMismatch).toMatchObject({ kind: 'altered', seq: String(target.seq) });
    await h.as(auditor).get('/control/v1/audit/verification?from=yesterday').expect(400);
    const noKey = jest.spyOn(checkpoints, 'signingKey').mockImplementation(() => {
      throw new Error('No audit signing key at /somewhere');
    });
    try {
      for (const path of ['/control/v1/audit/verification', '/control/v1/audit/export']) {
        expect((await h.as(auditor).get(path).expect(503)).body.code).toBe('AUDIT_SIGNING_KEY_MISSING');
      }
    } finally {
      noKey.mockRestore();
    }
  });

  it('exports a range that verifies offline with the CLI, and that shows an edit', async () => {
    await emptyLogAndJournal(h.gateway.config);
    for (const app of [h.gateway.app, h.control]) app.get(AuditCheckpointService).stopPeriodicSealing();
    admin = await h.bootstrapAdmin();
    auditor = await h.person(admin, 'auditor.export', Role.AUDITOR);
    const checkpoints = h.control.get(AuditCheckpointService);
    await checkpoints.seal();
    await h.as(admin).get('/control/v1/accounts').expect(200);

    const response = await h.as(auditor).get('/control/v1/audit/export').buffer(true).parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done(null, Buffer.concat(chunks).toString('utf8')));
    }).expect(200);
    expect(response.headers['content-type']).toContain('application/json');
    expect(response.headers['content-disposition']).toMatch(/^attachment; filename="audit-export-seq-1-\d+\.json"$/);
    const text = response.body as string;
    const data = JSON.parse(text) as AuditExport;
    expect(data.format).toBe('gateway-audit-export/v2');
    expect(data.publicKeys.map((k) => k.keyId)).toEqual([checkpoints.signingKey().keyId]);
    expect(data.entries.some((e) => e.actorUsername === 'admin' && e.action === 'accounts.manage')).toBe(true);
    expect(verifyExport(data, trustedKeys([checkpoints.signingKey().publicKey])).report).toMatchObject({ ok: true, failureCount: 0 });

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'audit-http-export-'));
    const lines: string[] = [];
    fs.writeFileSync(path.join(dir, 'export.json'), text);
    await runAuditCommandOffline('audit:verify', ['--file', path.join(dir, 'export.json')], (l) => lines.push(l));
    expect(lines).toContain('OK: the hash chain and every checkpoint verify');

    const edited = data.entries.findIndex((e) => e.actorUsername === 'admin');
    data.entries[edited].actorHolderName = 'Người khác';
    fs.writeFileSync(path.join(dir, 'edited.json'), JSON.stringify(data));
    await expect(runAuditCommandOffline('audit:verify', ['--file', path.join(dir, 'edited.json')], () => undefined)).rejects.toThrow(`at seq ${data.entries[edited].seq}`);
  });

  it('keeps verifying a log begun in format 1 and continued in format 2', async () => {
    await emptyLogAndJournal(h.gateway.config);
    // Two entries as the first release wrote them (no entry_format: the column default, 1).
    let prev = GENESIS_HASH;
    for (const seq of [1, 2]) {
      const fields = entryFromRow({ id: '0', seq, occurred_at: new Date(Date.now() - 1000 + seq), request_id: crypto.randomUUID(), plane: 'data', environment: 'test', connection_id: null, certificate_thumbprint: null, source_address: '10.0.0.1', method: 'GET', path: '/api/v1/task-results', status_code: 200, outcome: 'success', error_code: null, duration_ms: 3, prev_hash: prev, entry_hash: '' });
      expect(fields.format).toBe(1);
      const hash = entryHash(fields, prev);
      await sql(`INSERT INTO audit_entries (seq, occurred_at, request_id, plane, environment, source_address, method, path, status_code, outcome, duration_ms, prev_hash, entry_hash)
        VALUES ($1, $2, $3, 'data', 'test', '10.0.0.1', 'GET', '/api/v1/task-results', 200, 'success', 3, $4, $5)`, [seq, fields.occurredAt, fields.requestId, prev, hash]);
      prev = hash;
    }
    admin = await h.bootstrapAdmin();
    await h.as(admin).get('/control/v1/accounts').expect(200);
    auditor = await h.person(admin, 'auditor.mixed', Role.AUDITOR);
    const formats = await sql<{ entry_format: number }>(`SELECT entry_format FROM audit_entries ORDER BY seq`);
    expect(formats.slice(0, 3).map((r) => r.entry_format)).toEqual([1, 1, 2]);
    await h.control.get(AuditCheckpointService).seal();
    const report = await h.as(auditor).get('/control/v1/audit/verification').expect(200);
    expect(report.body).toMatchObject({ ok: true, startSeq: '1' });

    // A v2 field slipped into an old entry is an alteration, though format 1 does not hash it.
    await tamper(`UPDATE audit_entries SET actor_username = 'someone' WHERE seq = 2`);
    expect((await h.as(auditor).get('/control/v1/audit/verification').expect(200)).body.firstMismatch).toMatchObject({ kind: 'altered', seq: '2' });
  });
});
