import { MigrationInterface, QueryRunner } from "typeorm";

/**
 * `audit_entries_append(expected_seq, expected_hash, entries)`: the audit writer's one round trip
 * per group (src/audit/chain/audit.service.ts). Written by hand: TypeORM does not model functions.
 *
 * The writer hashes a group in Node against the chain head it last saw. The function, as one
 * statement (its own transaction), takes the chain lock at transaction level, checks that the
 * head is still that one, and inserts the rows. If another instance (or a test's reset) moved
 * the head, it inserts nothing and returns the head it found, `seq:entry_hash`, and the writer
 * rehashes under the session lock. Before, each group cost four round trips (lock, read the head,
 * INSERT, unlock) and planned the head lookup over every partition each time; a function's plan
 * is cached.
 *
 * The lock is the same key as the writer's session lock ('auditlog'): session- and
 * transaction-level advisory locks on one key exclude each other, and a session holding it at
 * one level gets it at the other at once.
 */
export class AuditAppendFunction1796100000000 implements MigrationInterface {
    name = 'AuditAppendFunction1796100000000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(APPEND_FUNCTION);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP FUNCTION audit_entries_append(bigint, text, json)`);
    }
}

/** Every column but `id` (the sequence gives it), as audit.service.ts names them in `entries`. */
const COLUMNS = `seq, occurred_at, request_id, plane, environment, connection_id, certificate_thumbprint,
        source_address, method, path, status_code, outcome, error_code, duration_ms,
        entry_format, action, actor_account_id, actor_username, actor_holder_name, actor_role,
        assistant_account_id, assistant_username, assistant_holder_name, target_type, target_id,
        payload_sha256, details, prev_hash, entry_hash`;

const APPEND_FUNCTION = `CREATE FUNCTION audit_entries_append(expected_seq bigint, expected_hash text, entries json) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    head_seq bigint;
    head_hash text;
BEGIN
    PERFORM pg_advisory_xact_lock(7022629598041763687);
    SELECT seq, entry_hash INTO head_seq, head_hash FROM audit_entries ORDER BY seq DESC LIMIT 1;
    head_seq := coalesce(head_seq, 0);
    head_hash := coalesce(head_hash, repeat('0', 64));
    IF head_seq <> expected_seq OR head_hash <> expected_hash THEN
        RETURN head_seq || ':' || head_hash;
    END IF;
    INSERT INTO audit_entries (${COLUMNS})
        SELECT ${COLUMNS} FROM json_populate_recordset(NULL::audit_entries, entries);
    RETURN NULL;
END
$$`;
