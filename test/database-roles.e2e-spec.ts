import crypto from 'node:crypto';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../src/shared/database/data-source.js';
import { grantRuntimeRole, RuntimeRoleRefused } from '../src/shared/database/runtime-role.js';
import { NestFactory } from '@nestjs/core';
import { Role } from '../src/accounts/roles.js';
import { CliModule } from '../src/cli/cli.module.js';
import { UsageError } from '../src/cli/commands.js';
import { DATABASE_COMMANDS } from '../src/cli/database-commands.js';
import { ControlPlaneHarness } from './support/control-plane-harness.js';
import { GatewayHarness, taskResult } from './support/gateway-harness.js';
import { resetDatabase, sql, testDatabaseUrl } from './support/test-database.js';

const UNIT = 'Bộ Tư pháp';

/** The test database's URL, logging in as `role` (the machine's PostgreSQL trusts loopback). */
function urlAs(role: string): string {
  const url = new URL(testDatabaseUrl());
  url.username = role;
  url.password = '';
  return url.toString();
}

/** Runs one statement as `role` in a session of its own; resolves to the error it raised (or null). */
async function errorAs(role: string, statement: string): Promise<{ code: string; message: string } | null> {
  const client = new pg.Client({ connectionString: urlAs(role) });
  await client.connect();
  try {
    await client.query(statement);
    return null;
  } catch (error) {
    return { code: (error as { code: string }).code, message: (error as Error).message };
  } finally {
    await client.end();
  }
}

/** A refusal by privileges or ownership, not by the append-only trigger (which an owner could disable). */
const PERMISSION_REFUSED = { code: '42501', message: expect.stringMatching(/^(permission denied for table|must be owner of table|permission denied to set parameter)/) };

describe('database roles: migrations as the owner, the gateway as a role that cannot rewrite the audit log', () => {
  const role = `gateway_app_${crypto.randomBytes(4).toString('hex')}`;
  let planes: ControlPlaneHarness;
  let harness: GatewayHarness;

  beforeAll(async () => {
    await resetDatabase();
    await sql(`CREATE ROLE "${role}" LOGIN`);
    planes = await ControlPlaneHarness.start({ DATABASE_URL: urlAs(role), DATABASE_MIGRATION_URL: testDatabaseUrl() });
    harness = planes.gateway;
  });
  afterAll(async () => {
    await planes?.stop();
    // The role's privileges live in this database only; then the role itself goes.
    await sql(`DROP OWNED BY "${role}"`);
    await sql(`DROP ROLE "${role}"`);
  });

  it('serves and audits as the runtime role, which may not disable, update, delete or truncate the audit log', async () => {
    const client = await harness.connection({ unit: UNIT });
    const system = await harness.as(client);
    await system.put('/api/v1/task-results/ROLE-1').send(taskResult('ROLE-1', UNIT)).expect(201);
    await system.get('/api/v1/task-results/ROLE-1').expect(200);
    const [{ written }] = await sql<{ written: number }>(`SELECT count(*)::int AS written FROM audit_entries WHERE connection_id = $1`, [client.connectionId]);
    expect(written).toBeGreaterThanOrEqual(3); // token, push, pull

    // The gateway really runs as that role, and it owns nothing.
    const [sessions] = await sql<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE usename = $1 AND datname = current_database()`, [role]);
    expect(sessions.n).toBeGreaterThan(0);
    expect(await sql(`SELECT relname FROM pg_class WHERE relowner = (SELECT oid FROM pg_roles WHERE rolname = $1)`, [role])).toEqual([]);

    const [{ partition }] = await sql<{ partition: string }>(`SELECT tableoid::regclass::text AS partition FROM audit_entries WHERE connection_id = $1 LIMIT 1`, [client.connectionId]);
    for (const table of ['audit_entries', partition, 'audit_checkpoints', 'incident_evidence']) {
      expect(await errorAs(role, `ALTER TABLE ${table} DISABLE TRIGGER ALL`)).toMatchObject(PERMISSION_REFUSED);
      expect(await errorAs(role, `UPDATE ${table} SET id = id`)).toMatchObject(PERMISSION_REFUSED);
      expect(await errorAs(role, `DELETE FROM ${table}`)).toMatchObject(PERMISSION_REFUSED);
      expect(await errorAs(role, `TRUNCATE ${table}`)).toMatchObject(PERMISSION_REFUSED);
    }
    // Nor may it ask for triggers to be skipped, or drop the history of a partition by detaching it.
    expect(await errorAs(role, `SET session_replication_role = replica`)).toMatchObject(PERMISSION_REFUSED);
    expect(await errorAs(role, `ALTER TABLE audit_entries DETACH PARTITION ${partition}`)).toMatchObject(PERMISSION_REFUSED);
    const [{ after }] = await sql<{ after: number }>(`SELECT count(*)::int AS after FROM audit_entries WHERE connection_id = $1`, [client.connectionId]);
    expect(after).toBe(written);

    // Meanwhile the gateway keeps working, and keeps auditing.
    await system.put('/api/v1/task-results/ROLE-2').send(taskResult('ROLE-2', UNIT)).expect(201);
    const [{ later }] = await sql<{ later: number }>(`SELECT count(*)::int AS later FROM audit_entries WHERE connection_id = $1`, [client.connectionId]);
    expect(later).toBe(written + 1);
  });

  it('creates a new month through the owner: the partition belongs to the owner, and the runtime role cannot touch it', async () => {
    const [{ created }] = await runAs(role, `SELECT audit_entries_ensure_partitions(now() + interval '14 months', now() + interval '14 months') AS created`);
    expect(created).toBe(1);
    const [month] = await sql<{ name: string; owner: string }>(
      `SELECT c.relname AS name, pg_get_userbyid(c.relowner) AS owner FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = 'audit_entries'::regclass ORDER BY c.relname DESC LIMIT 1`);
    expect(month.owner).not.toBe(role);
    expect(await errorAs(role, `ALTER TABLE ${month.name} DISABLE TRIGGER ALL`)).toMatchObject(PERMISSION_REFUSED);
    expect(await errorAs(role, `INSERT INTO ${month.name} SELECT * FROM audit_entries LIMIT 0`)).toMatchObject(PERMISSION_REFUSED);
  });

  it('runs the control plane as the runtime role too: accounts, a cut-off, a unit\'s incident report with its evidence, all audited', async () => {
    const admin = await planes.bootstrapAdmin();
    const unitAdmin = await planes.person(admin, 'moj.admin', Role.UNIT_ADMIN, UNIT);
    const officer = await planes.person(admin, 'dtd.security', Role.SECURITY_OFFICER);
    const first = await harness.connection({ unit: UNIT, env: 'production' });
    await planes.as(officer).post(`/control/v1/connections/${first.connectionId}/suspension`).send({ reasonCode: 'MANUAL_CUT_OFF', reason: 'x' }).expect(200);
    await planes.as(officer).post(`/control/v1/connections/${first.connectionId}/restore-override`).send({ justification: 'Đã xác minh' }).expect(200);
    const second = await harness.connection({ unit: UNIT });
    await planes.as(unitAdmin).post(`/control/v1/connections/${second.connectionId}/incident-reports`).send({ reasonCode: 'CREDENTIALS_COMPROMISED', summary: 'Lộ khóa', detectedAt: new Date().toISOString() }).expect(201);
    const [{ evidence }] = await sql<{ evidence: number }>(`SELECT count(*)::int AS evidence FROM incident_evidence e JOIN incidents i ON i.id = e.incident_id WHERE i.connection_id = $1`, [second.connectionId]);
    expect(evidence).toBe(1);
    const [{ audited }] = await sql<{ audited: number }>(`SELECT count(*)::int AS audited FROM audit_entries WHERE plane = 'control' AND actor_username = 'dtd.security'`);
    expect(audited).toBeGreaterThanOrEqual(2);
  });

  it('db:grant-runtime-role (as the owner) gives a table the runtime role lacks, and still no more than INSERT/SELECT on the audit log', async () => {
    // As after `npm run migration:run` added a table: the runtime role has nothing on it yet.
    await sql(`REVOKE ALL ON connections FROM "${role}"`);
    expect(await errorAs(role, `SELECT count(*) FROM connections`)).toMatchObject(PERMISSION_REFUSED);
    const owner = await NestFactory.createApplicationContext(CliModule.forRoot({ ...harness.config, DATABASE_URL: testDatabaseUrl() }), { logger: false });
    try {
      const lines: string[] = [];
      await DATABASE_COMMANDS['db:grant-runtime-role'].run(owner, ['--role', role], (line) => lines.push(line));
      expect(lines).toEqual([expect.stringMatching(new RegExp(`^role ${role}: SELECT, INSERT on audit_entries, audit_checkpoints, incident_evidence, record_versions; SELECT on audit_chain_head; SELECT, INSERT, UPDATE, DELETE on the other \\d+ tables`))]);
      await expect(DATABASE_COMMANDS['db:grant-runtime-role'].run(owner, ['--role', 'postgres'], () => undefined)).rejects.toThrow(UsageError);
      await expect(DATABASE_COMMANDS['db:grant-runtime-role'].run(owner, [], () => undefined)).rejects.toThrow('--role is required');
    } finally {
      await owner.close();
    }
    expect(await errorAs(role, `SELECT count(*) FROM connections`)).toBeNull();
    expect(await errorAs(role, `UPDATE audit_entries SET id = id`)).toMatchObject(PERMISSION_REFUSED);
    // The chain head decides what every append links to: only the owner's functions write it.
    expect(await errorAs(role, `SELECT seq FROM audit_chain_head`)).toBeNull();
    for (const write of [`UPDATE audit_chain_head SET seq = 0`, `DELETE FROM audit_chain_head`, `INSERT INTO audit_chain_head (seq, entry_hash) VALUES (0, '')`]) {
      expect(await errorAs(role, write)).toMatchObject(PERMISSION_REFUSED);
    }
  });

  it('refuses to make a superuser or the owner the runtime role, and names the role', async () => {
    const owner = new DataSource(dataSourceOptions(testDatabaseUrl(), 1));
    await owner.initialize();
    try {
      await expect(grantRuntimeRole(owner, 'postgres')).rejects.toThrow(new RuntimeRoleRefused('role "postgres" is a superuser: it could disable the audit log\'s triggers, so it cannot be the runtime role'));
      await expect(grantRuntimeRole(owner, 'no_such_role_here')).rejects.toThrow(/no role "no_such_role_here"/);
    } finally {
      await owner.destroy();
    }
  });
});

async function runAs(role: string, statement: string): Promise<Array<Record<string, unknown>>> {
  const client = new pg.Client({ connectionString: urlAs(role) });
  await client.connect();
  try {
    return (await client.query(statement)).rows;
  } finally {
    await client.end();
  }
}
