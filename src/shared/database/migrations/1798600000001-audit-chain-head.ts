import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit chain's last link kept in a one-row table, `audit_chain_head`, instead of looked up
 * with `ORDER BY seq DESC LIMIT 1` over the partitioned log on every group append.
 *
 * Why: that lookup touches every monthly partition (73 after five years) and its plan is cached
 * per connection inside `audit_entries_append`. Measured in the pull bench, the cached plan was
 * made while the month's partition was nearly empty, a sequential scan and sort, so every group
 * read the whole month: 1.6–7.6 ms a group and growing, most of PostgreSQL's cost per request.
 *
 * - A statement trigger on `audit_entries` moves the head to the highest `seq` each INSERT
 *   through the parent wrote, by the append function or not. It is enabled ALWAYS, so a row
 *   added with `session_replication_role = replica` moves it too; a TRUNCATE (tests only)
 *   forgets it.
 * - `audit_chain_head(resync)` returns the head; with `resync`, or when the row is missing, it
 *   computes it from the log and stores it.
 * - The three functions are SECURITY DEFINER (as `audit_entries_ensure_partitions`), so that the
 *   runtime role, which may only read the table (runtime-role.ts), cannot set the head itself.
 * - What only the owner can do still bypasses the head: rows written into a partition directly,
 *   or changed with the triggers disabled. The writer (audit.service.ts) therefore recomputes the
 *   head from the log at start-up, after a failed append and at least once a minute, and a `seq`
 *   already taken in the month makes it recompute and append the group again.
 */
export class AuditChainHead1798600000001 implements MigrationInterface {
  name = 'AuditChainHead1798600000001';

  public async up(queryRunner: QueryRunner): Promise<void> {
    for (const statement of UP) await queryRunner.query(statement);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER audit_entries_chain_head_truncated ON audit_entries`);
    await queryRunner.query(`DROP FUNCTION audit_chain_head_forget()`);
    await queryRunner.query(`DROP TRIGGER audit_entries_chain_head ON audit_entries`);
    await queryRunner.query(`DROP FUNCTION audit_chain_head_follow()`);
    await queryRunner.query(APPEND_FUNCTION(`SELECT seq, entry_hash INTO head_seq, head_hash FROM audit_entries ORDER BY seq DESC LIMIT 1;
    head_seq := coalesce(head_seq, 0);
    head_hash := coalesce(head_hash, repeat('0', 64));`));
    await queryRunner.query(`DROP FUNCTION audit_chain_head(boolean)`);
    await queryRunner.query(`DROP TABLE audit_chain_head`);
  }
}

/** Every column but `id`, as audit.service.ts names them in `entries` (as in 1796100000000). */
const COLUMNS = `seq, occurred_at, request_id, plane, environment, connection_id, certificate_thumbprint,
        source_address, method, path, status_code, outcome, error_code, duration_ms,
        entry_format, action, actor_account_id, actor_username, actor_holder_name, actor_role,
        assistant_account_id, assistant_username, assistant_holder_name, target_type, target_id,
        payload_sha256, details, prev_hash, entry_hash`;

const APPEND_FUNCTION = (readHead: string) => `CREATE OR REPLACE FUNCTION audit_entries_append(expected_seq bigint, expected_hash text, entries json) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    head_seq bigint;
    head_hash text;
BEGIN
    PERFORM pg_advisory_xact_lock(7022629598041763687);
    ${readHead}
    IF head_seq <> expected_seq OR head_hash <> expected_hash THEN
        RETURN head_seq || ':' || head_hash;
    END IF;
    INSERT INTO audit_entries (${COLUMNS})
        SELECT ${COLUMNS} FROM json_populate_recordset(NULL::audit_entries, entries);
    RETURN NULL;
END
$$`;

const UP = [
  `CREATE TABLE audit_chain_head (
    only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    seq bigint NOT NULL,
    entry_hash text NOT NULL
  )`,
  `CREATE FUNCTION audit_chain_head(resync boolean, OUT seq bigint, OUT entry_hash text) LANGUAGE plpgsql AS $$
BEGIN
    IF NOT resync THEN
        SELECT h.seq, h.entry_hash INTO seq, entry_hash FROM audit_chain_head h;
        IF FOUND THEN RETURN; END IF;
    END IF;
    SELECT e.seq, e.entry_hash INTO seq, entry_hash FROM audit_entries e ORDER BY e.seq DESC LIMIT 1;
    seq := coalesce(seq, 0);
    entry_hash := coalesce(entry_hash, repeat('0', 64));
    INSERT INTO audit_chain_head AS h (seq, entry_hash) VALUES (seq, entry_hash)
        ON CONFLICT (only_row) DO UPDATE SET seq = excluded.seq, entry_hash = excluded.entry_hash;
END
$$`,
  `CREATE FUNCTION audit_chain_head_follow() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO audit_chain_head AS h (seq, entry_hash)
        SELECT a.seq, a.entry_hash FROM appended a ORDER BY a.seq DESC LIMIT 1
        ON CONFLICT (only_row) DO UPDATE SET seq = excluded.seq, entry_hash = excluded.entry_hash WHERE excluded.seq > h.seq;
    RETURN NULL;
END
$$`,
  `CREATE TRIGGER audit_entries_chain_head AFTER INSERT ON audit_entries REFERENCING NEW TABLE AS appended
    FOR EACH STATEMENT EXECUTE FUNCTION audit_chain_head_follow()`,
  `ALTER TABLE audit_entries ENABLE ALWAYS TRIGGER audit_entries_chain_head`,
  // A TRUNCATE (allowed only to a session that says so: tests, see the audit-chain migration)
  // empties the chain: the next append recomputes the head from what is left.
  `CREATE FUNCTION audit_chain_head_forget() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM audit_chain_head;
    RETURN NULL;
END
$$`,
  `CREATE TRIGGER audit_entries_chain_head_truncated AFTER TRUNCATE ON audit_entries FOR EACH STATEMENT EXECUTE FUNCTION audit_chain_head_forget()`,
  `ALTER TABLE audit_entries ENABLE ALWAYS TRIGGER audit_entries_chain_head_truncated`,
  // Run as the owner, with a fixed search_path (a definer function's must be). EXECUTE stays with
  // PUBLIC: the function only reads the head or sets it to the log's actual last entry, and
  // instances of the previous release call it (through audit_entries_append) before any grant.
  `DO $$ BEGIN
    EXECUTE format('ALTER FUNCTION audit_chain_head(boolean) SECURITY DEFINER SET search_path = %I, pg_temp', current_schema());
    EXECUTE format('ALTER FUNCTION audit_chain_head_follow() SECURITY DEFINER SET search_path = %I, pg_temp', current_schema());
    EXECUTE format('ALTER FUNCTION audit_chain_head_forget() SECURITY DEFINER SET search_path = %I, pg_temp', current_schema());
  END $$`,
  `SELECT audit_chain_head(true)`,
  APPEND_FUNCTION(`SELECT h.seq, h.entry_hash INTO head_seq, head_hash FROM audit_chain_head(false) h;`),
];
