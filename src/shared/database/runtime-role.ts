import { Logger } from '@nestjs/common';
import pg from 'pg';
import { DataSource } from 'typeorm';
import type { GatewayConfig } from '../config/gateway-config.js';
import { dataSourceOptions } from './data-source.js';

/**
 * Two database roles (README, "Audit log"): the OWNER runs the migrations and owns every table;
 * the RUNTIME role the gateway serves with owns nothing. Triggers keep the audit tables
 * append-only, but a table's owner may `ALTER TABLE … DISABLE TRIGGER` and then rewrite it; a
 * role that is refused UPDATE, DELETE and TRUNCATE by its privileges, and owns nothing, cannot.
 */

/** Tables kept append-only by triggers: the runtime role may only read and add to them. */
export const APPEND_ONLY_TABLES = ['audit_entries', 'audit_checkpoints', 'incident_evidence', 'record_versions'] as const;

/**
 * Tables only the owner's SECURITY DEFINER functions write: the runtime role may read them. The
 * audit chain's head decides what each append links to (migration 1798600000001).
 */
export const OWNER_WRITTEN_TABLES = ['audit_chain_head'] as const;

/** A role name as PostgreSQL stores it; always written quoted. */
const ROLE_NAME = /^[^"\u0000]{1,63}$/;

/** A lock key of its own ('dbgrants'): instances starting together would otherwise grant at once. */
const GRANT_LOCK = '7022629598041796211';

export class RuntimeRoleRefused extends Error {}

interface Queryable {
  query(sql: string, parameters?: unknown[]): Promise<any>;
}

/**
 * Gives `role` exactly what the running gateway needs in the schema of `audit_entries`, and
 * nothing else, replacing what it held before (idempotent; run as the owner):
 * - SELECT, INSERT on the append-only tables — never UPDATE, DELETE, TRUNCATE. Monthly audit
 *   partitions get no privilege at all: rows reach them through the parent, whose privileges
 *   are the ones checked, and they are created by the owner's SECURITY DEFINER function
 *   `audit_entries_ensure_partitions`, so the runtime never owns one;
 * - SELECT on the tables only the owner's functions write (OWNER_WRITTEN_TABLES);
 * - SELECT, INSERT, UPDATE, DELETE on the other tables (not TRUNCATE, REFERENCES, TRIGGER);
 *   none on the migrations table;
 * - USAGE on the sequences (ids), EXECUTE on the audit functions.
 * Refuses a role that is a superuser or a member of the tables' owner: it could disable triggers.
 * A later migration's new table gets its privileges when this runs again (at every start-up with
 * DATABASE_MIGRATION_URL, or `npm run cli -- db:grant-runtime-role`).
 */
export async function grantRuntimeRole(db: DataSource, role: string): Promise<{ tables: number }> {
  if (!ROLE_NAME.test(role)) throw new RuntimeRoleRefused(`--role "${role}" is not a PostgreSQL role name (1 to 63 characters, no double quote)`);
  return db.transaction(async (m) => {
    await m.query('SELECT pg_advisory_xact_lock($1)', [GRANT_LOCK]);
    await assertRoleCannotAlterAudit(m, role);
    const to = `"${role}"`;
    const [{ schema }] = await m.query(`SELECT n.nspname AS schema FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = 'audit_entries'::regclass`);
    const tables: Array<{ name: string }> = await m.query(
      `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND NOT c.relispartition
          AND c.relname <> 'migrations' AND c.relname !~ '^audit_entries_[0-9]{4}_[0-9]{2}$'`, [schema]);
    const q = (name: string) => `"${schema}"."${name}"`;
    const appendOnly = new Set<string>(APPEND_ONLY_TABLES);
    const ownerWritten = new Set<string>(OWNER_WRITTEN_TABLES);
    await m.query(`GRANT USAGE ON SCHEMA "${schema}" TO ${to}`);
    await m.query(`REVOKE ALL ON ALL TABLES IN SCHEMA "${schema}" FROM ${to}`);
    await m.query(`REVOKE ALL ON ALL SEQUENCES IN SCHEMA "${schema}" FROM ${to}`);
    for (const { name } of tables) {
      const privileges = ownerWritten.has(name) ? 'SELECT' : appendOnly.has(name) ? 'SELECT, INSERT' : 'SELECT, INSERT, UPDATE, DELETE';
      await m.query(`GRANT ${privileges} ON ${q(name)} TO ${to}`);
    }
    const sequences: Array<{ name: string }> = await m.query(
      `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = $1 AND c.relkind = 'S' AND c.relname <> 'migrations_id_seq'`, [schema]);
    for (const { name } of sequences) await m.query(`GRANT USAGE, SELECT ON SEQUENCE ${q(name)} TO ${to}`);
    await m.query(`GRANT EXECUTE ON FUNCTION ${q('audit_entries_append')}(bigint, text, json) TO ${to}`);
    await m.query(`GRANT EXECUTE ON FUNCTION ${q('audit_entries_append_rows')}(bigint, text, jsonb) TO ${to}`);
    await m.query(`GRANT EXECUTE ON FUNCTION ${q('audit_entries_ensure_partitions')}(timestamptz, timestamptz) TO ${to}`);
    await m.query(`GRANT EXECUTE ON FUNCTION ${q('audit_chain_head')}(boolean) TO ${to}`);
    return { tables: tables.length };
  });
}

/** Refuses a role that could switch the audit triggers off: a superuser, or the owner (or a member of it). */
async function assertRoleCannotAlterAudit(db: Queryable, role: string): Promise<void> {
  const [row] = await db.query(
    `SELECT r.rolsuper AS super, pg_has_role(r.oid, c.relowner, 'MEMBER') AS owner, pg_get_userbyid(c.relowner) AS "ownerName"
       FROM pg_roles r, pg_class c WHERE r.rolname = $1 AND c.oid = 'audit_entries'::regclass`, [role]);
  if (!row) throw new RuntimeRoleRefused(`no role "${role}" in this database cluster: create it first (CREATE ROLE ${role} LOGIN PASSWORD '…')`);
  if (row.super) throw new RuntimeRoleRefused(`role "${role}" is a superuser: it could disable the audit log's triggers, so it cannot be the runtime role`);
  if (row.owner) throw new RuntimeRoleRefused(`role "${role}" owns the tables (or is a member of their owner "${row.ownerName}"): it could disable the audit log's triggers, so it cannot be the runtime role`);
}

/** The role a URL logs in as (its user, or the server's answer when the URL names none). */
async function roleOf(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<{ role: string }>('SELECT current_user AS role')).rows[0].role;
  } finally {
    await client.end();
  }
}

/**
 * With DATABASE_MIGRATION_URL: applies the migrations as the owner, then grants the runtime role
 * (DATABASE_URL's) what it needs; returns true. Without it (or with the same URL) it does nothing
 * and returns false: the gateway's one role migrates and runs, as before.
 */
export async function migrateAsOwner(config: GatewayConfig): Promise<boolean> {
  const ownerUrl = config.DATABASE_MIGRATION_URL;
  if (!ownerUrl || ownerUrl === config.DATABASE_URL) return false;
  const owner = new DataSource({ ...dataSourceOptions(ownerUrl, 1), logging: ['error', 'warn', 'migration'] });
  await owner.initialize();
  try {
    await owner.runMigrations();
    const role = await roleOf(config.DATABASE_URL!);
    const { tables } = await grantRuntimeRole(owner, role);
    new Logger('Database').log(`Migrations applied as the owner role; runtime role "${role}" may use ${tables} tables (append-only ones: ${APPEND_ONLY_TABLES.join(', ')})`);
    return true;
  } finally {
    await owner.destroy();
  }
}

/**
 * The runtime DataSource's migration settings: with an owner role, the migrations have run as it
 * (and the runtime role may create nothing, not even an extension); else they run on connecting.
 */
export async function migrationOptions(config: GatewayConfig): Promise<{ migrationsRun: boolean; installExtensions?: boolean }> {
  if (await migrateAsOwner(config)) return { migrationsRun: false, installExtensions: false };
  await warnWhenAuditRestsOnTriggers(config);
  return { migrationsRun: true };
}

/**
 * Production with one role: say at start-up that the audit log's append-only guarantee rests on
 * triggers its own role may disable (README, "Audit log"). Not an error: behaviour stays as it was.
 */
export async function warnWhenAuditRestsOnTriggers(config: GatewayConfig): Promise<void> {
  if (config.NODE_ENV !== 'production' || config.DATABASE_MIGRATION_URL) return;
  const logger = new Logger('Database');
  const client = new pg.Client({ connectionString: config.DATABASE_URL });
  // A connection that dies after connecting emits 'error' (with no listener it would end the process).
  client.on('error', (error) => logger.warn(`Audit table ownership check: the connection failed: ${error.message}`));
  try {
    await client.connect();
    // Before the first migration there is no table yet: this role will create, and own, it.
    const { rows } = await client.query<{ can: boolean }>(
      `SELECT r.rolsuper OR c.relowner IS NULL OR pg_has_role(r.oid, c.relowner, 'MEMBER') AS can
         FROM pg_roles r LEFT JOIN pg_class c ON c.oid = to_regclass('audit_entries') WHERE r.rolname = current_user`);
    if (rows[0]?.can) {
      logger.warn(`The gateway's database role owns the audit tables (or is a superuser): the append-only audit log rests on triggers this role could disable. Set DATABASE_MIGRATION_URL to the owner and DATABASE_URL to a role that owns nothing (README, "Audit log")`);
    }
  } catch (error) {
    // Only a warning, so start-up goes on: an unreachable database is reported by the connection that follows.
    logger.warn(`Could not check who owns the audit tables: ${(error as Error).message}`);
  } finally {
    await client.end().catch((error: Error) => logger.warn(`Audit table ownership check: closing its connection failed: ${error.message}`));
  }
}
