import { Role } from '../src/accounts/roles.js';
import { ControlPlaneHarness, Person } from './support/control-plane-harness.js';
import { resetDatabase, sql } from './support/test-database.js';

const CITIZEN_ID = '001099001289';
const DAY = 86_400_000;
type Row = Record<string, any>;
const rid = (response: { headers: Record<string, string> }) => response.headers['x-request-id'];
const entryOf = async (requestId: string): Promise<Row> => (await sql<Row>(`SELECT * FROM audit_entries WHERE request_id = $1`, [requestId]))[0];

describe('accounts over their life: identity, deactivation, delegations (issue 16)', () => {
  let h: ControlPlaneHarness;
  let admin: Person;

  beforeAll(async () => {
    await resetDatabase();
    h = await ControlPlaneHarness.start();
    admin = await h.bootstrapAdmin();
  });
  afterAll(() => h.stop());

  it("records the holder's identity (footnote 6): the citizen ID encrypted at rest, shown masked, read in full only by administrators and auditors, every read audited", async () => {
    const bad = await h.as(admin).post('/control/v1/accounts').send({ username: 'bad.id', role: Role.DTD_REVIEWER, holderName: 'X', citizenId: '12345' }).expect(400);
    expect(bad.body.details).toEqual([{ field: 'citizenId', problem: 'must be the 12 digits of the citizen ID number' }]);

    const identity = { position: 'Phó Vụ trưởng', phone: '+84 24 3823 1234', email: 'nguyen.van.a@moha.gov.vn', citizenId: CITIZEN_ID };
    const created = await h.as(admin).post('/control/v1/accounts').send({ username: 'head.identity', role: Role.UNIT_ADMIN, unit: 'Bộ Nội vụ', holderName: 'Nguyễn Văn A', ...identity }).expect(201);
    expect(created.body.account).toMatchObject({ position: 'Phó Vụ trưởng', phone: '+84 24 3823 1234', email: 'nguyen.van.a@moha.gov.vn', citizenIdMasked: '0010******89' });
    expect(JSON.stringify(created.body)).not.toContain(CITIZEN_ID);
    const id = created.body.account.id;
    const listed = await h.as(admin).get('/control/v1/accounts').expect(200);
    expect(listed.body.items.find((a: { id: string }) => a.id === id).citizenIdMasked).toBe('0010******89');
    expect(JSON.stringify(listed.body)).not.toContain(CITIZEN_ID);

    // At rest: neither the column nor anything else of the row holds the number in clear.
    const [stored] = await sql<Row>(`SELECT row_to_json(a)::text AS json, citizen_id_encrypted FROM accounts a WHERE id = $1`, [id]);
    expect(stored.citizen_id_encrypted).toMatch(/^v1\./);
    expect(stored.json).not.toContain(CITIZEN_ID);

    // The full number: SYSTEM_ADMIN and AUDITOR only, through the dedicated route.
    const auditor = await h.person(admin, 'auditor.identity', Role.AUDITOR);
    const reviewer = await h.person(admin, 'reviewer.identity', Role.DTD_REVIEWER);
    await h.as(reviewer).get(`/control/v1/accounts/${id}/citizen-id`).expect(403);
    const read = await h.as(auditor).get(`/control/v1/accounts/${id}/citizen-id`).expect(200);
    expect(read.body).toEqual({ accountId: id, citizenId: CITIZEN_ID });
    expect((await h.as(admin).get(`/control/v1/accounts/${id}/citizen-id`).expect(200)).body.citizenId).toBe(CITIZEN_ID);
    expect(await entryOf(rid(read))).toMatchObject({ action: 'accounts.readPersonalData', actor_username: 'auditor.identity', target_type: 'account', target_id: id, outcome: 'success' });

    const changed = await h.as(admin).put(`/control/v1/accounts/${id}/identity`).send({ position: 'Vụ trưởng', citizenId: '079188004321' }).expect(200);
    expect(changed.body).toMatchObject({ position: 'Vụ trưởng', citizenIdMasked: '0791******21', email: 'nguyen.van.a@moha.gov.vn' });
    const history = (await h.as(admin).get(`/control/v1/accounts/${id}/history`).expect(200)).body.items as Array<{ kind: string; details: Row }>;
    expect(history.find((e) => e.kind === 'IDENTITY_UPDATED')!.details.fields).toEqual(['position', 'citizenId']);
    expect(history.filter((e) => e.kind === 'CITIZEN_ID_READ')).toHaveLength(2);

    // Never in the audit log (details, digests of the body), the history or the officers' channel.
    const [audit] = await sql<{ n: string }>(`SELECT count(*) AS n FROM audit_entries e WHERE row_to_json(e)::text LIKE '%' || $1 || '%' OR row_to_json(e)::text LIKE '%' || $2 || '%'`, [CITIZEN_ID, '079188004321']);
    expect(Number(audit.n)).toBe(0);
    expect(await entryOf(rid(created))).toMatchObject({ action: 'accounts.manage', payload_sha256: null });
    expect(await entryOf(rid(changed))).toMatchObject({ action: 'accounts.manage', payload_sha256: null });
    for (const table of ['account_events', 'security_alerts']) {
      const [found] = await sql<{ n: string }>(`SELECT count(*) AS n FROM ${table} t WHERE row_to_json(t)::text LIKE '%' || $1 || '%'`, [CITIZEN_ID]);
      expect(Number(found.n)).toBe(0);
    }
  });

  it('deactivates the account of a person who leaves (III.2.b): sessions and delegations end at once, the record stays, reactivation is recorded', async () => {
    const head = await h.person(admin, 'head.leaving', Role.UNIT_ADMIN, 'Bộ Tài chính');
    const assistant = await h.person(admin, 'assistant.staying', Role.UNIT_ADMIN, 'Bộ Tài chính');
    await h.as(head).post('/control/v1/delegations').send({ assistantId: assistant.id, expiresAt: new Date(Date.now() + DAY).toISOString() }).expect(201);
    const delegated = { session: (await h.as(assistant).post('/control/v1/auth/act-for').send({ delegatorId: head.id }).expect(200)).body.accessToken };
    await h.as(delegated).get('/control/v1/auth/me').expect(200);

    await h.as(admin).post(`/control/v1/accounts/${head.id}/deactivate`).send({ cause: 'NOPE', reason: 'x' }).expect(400)
      .expect((r) => expect(r.body.details[0].field).toBe('cause'));
    const deactivated = await h.as(admin).post(`/control/v1/accounts/${head.id}/deactivate`).send({ cause: 'LEFT', reason: 'Nghỉ hưu theo Quyết định 12/QĐ-BTC' }).expect(200);
    expect(deactivated.body).toMatchObject({ active: false, deactivatedAt: expect.any(String) });

    expect((await h.as(head).get('/control/v1/auth/me').expect(401)).body.code).toBe('SESSION_REVOKED');
    expect((await h.as(delegated).get('/control/v1/auth/me').expect(401)).body.code).toBe('SESSION_REVOKED');
    await h.raw('post', '/control/v1/auth/sign-in').send({ username: head.username, password: head.password, totpCode: h.totp(head.totpSecret) }).expect(401);
    const delegations = await sql<Row>(`SELECT revoked_at, revoked_by FROM delegations WHERE delegator_id = $1`, [head.id]);
    expect(delegations).toEqual([{ revoked_at: expect.any(Date), revoked_by: admin.id }]);
    await h.as(admin).post(`/control/v1/accounts/${head.id}/deactivate`).send({ cause: 'LEFT', reason: 'again' }).expect(409);
    expect((await h.as(admin).post(`/control/v1/accounts/${head.id}/handover`).send({ newHolderName: 'Y', reason: 'x' }).expect(409)).body.code).toBe('ACCOUNT_DEACTIVATED');

    // The record stays, for the audit log and the history.
    const listed = await h.as(admin).get('/control/v1/accounts').expect(200);
    expect(listed.body.items.find((a: { id: string }) => a.id === head.id)).toMatchObject({ username: 'head.leaving', active: false });
    const audit = await entryOf(rid(deactivated));
    expect(audit).toMatchObject({ action: 'accounts.manage', target_id: head.id });
    expect(JSON.parse(audit.details)).toMatchObject({ cause: 'LEFT', targetUsername: 'head.leaving' });

    // A person changing post: the delegation they hold ends too.
    const other = await h.person(admin, 'head.other', Role.UNIT_ADMIN, 'Bộ Tài chính');
    await h.as(other).post('/control/v1/delegations').send({ assistantId: assistant.id, expiresAt: new Date(Date.now() + DAY).toISOString() }).expect(201);
    await h.as(admin).post(`/control/v1/accounts/${assistant.id}/deactivate`).send({ cause: 'CHANGED_POST', reason: 'Điều chuyển sang Vụ khác' }).expect(200);
    expect(await sql(`SELECT id FROM delegations WHERE delegator_id = $1 AND revoked_at IS NULL`, [other.id])).toEqual([]);

    const reactivated = await h.as(admin).post(`/control/v1/accounts/${head.id}/reactivate`).send({ reason: 'Tiếp tục công tác theo Quyết định 20/QĐ-BTC' }).expect(200);
    expect(reactivated.body.account).toMatchObject({ active: true, deactivatedAt: null });
    // Nothing of the old credentials works: a fresh activation and TOTP enrolment.
    await h.raw('post', '/control/v1/auth/sign-in').send({ username: head.username, password: head.password }).expect(401);
    expect((await h.as(head).get('/control/v1/auth/me').expect(401)).body.code).toBe('SESSION_REVOKED');
    const back = await h.enrol(head.id, head.username, await h.activate(head.username, reactivated.body.activation.administratorPart));
    await h.as(back).get('/control/v1/auth/me').expect(200);
    const kinds = (await h.as(admin).get(`/control/v1/accounts/${head.id}/history`).expect(200)).body.items.map((e: { kind: string }) => e.kind);
    expect(kinds).toEqual(expect.arrayContaining(['DEACTIVATED', 'REACTIVATED', 'ACTIVATED']));
    expect(kinds.indexOf('REACTIVATED')).toBeGreaterThan(kinds.indexOf('DEACTIVATED'));
  });

  it('revokes a delegation at once, by the delegator or an administrator only; delegations expire by themselves', async () => {
    const head = await h.person(admin, 'head.delegates', Role.DTD_REVIEWER);
    const assistant = await h.person(admin, 'assistant.delegated', Role.DTD_REVIEWER);
    const noExpiry = await h.as(head).post('/control/v1/delegations').send({ assistantId: assistant.id }).expect(400);
    expect(noExpiry.body.details.map((d: { field: string }) => d.field)).toContain('expiresAt');

    const granted = await h.as(head).post('/control/v1/delegations').send({ assistantId: assistant.id, expiresAt: new Date(Date.now() + DAY).toISOString() }).expect(201);
    const delegated = { session: (await h.as(assistant).post('/control/v1/auth/act-for').send({ delegatorId: head.id }).expect(200)).body.accessToken };
    expect((await h.as(delegated).get('/control/v1/auth/me').expect(200)).body.assistant.username).toBe('assistant.delegated');
    expect((await h.as(assistant).get('/control/v1/delegations').expect(200)).body.items.map((d: { id: string }) => d.id)).toContain(granted.body.id);

    expect((await h.as(assistant).post(`/control/v1/delegations/${granted.body.id}/revoke`).expect(403)).body.code).toBe('NOT_YOUR_DELEGATION');
    expect((await h.as(delegated).post(`/control/v1/delegations/${granted.body.id}/revoke`).expect(403)).body.code).toBe('DELEGATION_CHAIN');
    const revoked = await h.as(head).post(`/control/v1/delegations/${granted.body.id}/revoke`).expect(200);
    expect(revoked.body).toMatchObject({ id: granted.body.id, revokedAt: expect.any(String), revokedBy: head.id });
    expect((await h.as(delegated).get('/control/v1/auth/me').expect(401)).body.code).toBe('SESSION_REVOKED');
    await h.as(assistant).post('/control/v1/auth/act-for').send({ delegatorId: head.id }).expect(403);
    expect((await h.as(head).post(`/control/v1/delegations/${granted.body.id}/revoke`).expect(409)).body.code).toBe('DELEGATION_ENDED');
    expect(await entryOf(rid(revoked))).toMatchObject({ action: 'delegations.revoke', actor_username: 'head.delegates', target_type: 'delegation', target_id: granted.body.id });

    // An administrator may end anyone's delegation. A head names the assistant by username (they
    // cannot list accounts); the view names both people.
    const both = await h.as(head).post('/control/v1/delegations').send({ assistantId: assistant.id, assistantUsername: 'assistant.delegated', expiresAt: new Date(Date.now() + DAY).toISOString() }).expect(400);
    expect(both.body.details.map((d: { field: string }) => d.field)).toEqual(['assistantUsername']);
    await h.as(head).post('/control/v1/delegations').send({ assistantUsername: 'nobody.here', expiresAt: new Date(Date.now() + DAY).toISOString() }).expect(404);
    const second = await h.as(head).post('/control/v1/delegations').send({ assistantUsername: 'assistant.delegated', expiresAt: new Date(Date.now() + DAY).toISOString() }).expect(201);
    expect(second.body).toMatchObject({ assistantId: assistant.id, delegator: { id: head.id, username: 'head.delegates', holderName: 'Holder of head.delegates' }, assistant: { id: assistant.id, username: 'assistant.delegated' } });
    await h.as(admin).post(`/control/v1/delegations/${second.body.id}/revoke`).expect(200);

    // A short one ends by itself.
    const expiresAt = new Date(h.gateway.clock.nowMs() + 60_000);
    await h.as(head).post('/control/v1/delegations').send({ assistantId: assistant.id, expiresAt: expiresAt.toISOString() }).expect(201);
    const shortLived = { session: (await h.as(assistant).post('/control/v1/auth/act-for').send({ delegatorId: head.id }).expect(200)).body.accessToken };
    await h.as(shortLived).get('/control/v1/auth/me').expect(200);
    h.gateway.clock.advance(60_000); // a minute later, on the gateway's clock
    expect((await h.as(shortLived).get('/control/v1/auth/me').expect(401)).body.code).toBe('SESSION_REVOKED');
  });
});
