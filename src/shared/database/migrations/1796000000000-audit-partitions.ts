import { MigrationInterface, QueryRunner } from "typeorm";

/**
 * `audit_entries` becomes a table partitioned by month (UTC) of `occurred_at`, so that a period
 * older than the retention can be detached and archived (`audit:archive`) instead of deleted
 * (src/audit/README.md, "Retention"). Written by hand: TypeORM does not model partitions.
 *
 * - Monthly: at a million calls a day a month is ~30 M rows (~15 GB), small enough to export and
 *   detach in one maintenance step; a year would be 12 times that. 60+ live partitions are few
 *   for the planner. UTC months, because `occurred_at` is stored and exported in UTC.
 * - The rows are copied into the new table, which keeps every column, default and the id
 *   sequence. Its primary key is (id, occurred_at): PostgreSQL wants the partition key in it.
 * - `seq` cannot have a unique index on the parent without `occurred_at` in it, which would make
 *   it unique per instant only. Each partition gets its own unique index on `seq` instead; the
 *   chain lock keeps seq unique across partitions and the verifier reports any duplicate.
 * - No DEFAULT partition: a row parked there would stop its month's partition from ever being
 *   created (the append-only triggers forbid moving it). Instead
 *   audit_entries_ensure_partitions(from, to) creates missing months; the gateway calls it at
 *   start-up, daily, and before its first write into a month, so a month boundary never fails
 *   a write.
 * - The row trigger on the parent is cloned to every partition. TRUNCATE triggers are not (a
 *   statement trigger fires only for the table named), so the function gives each partition its own.
 */
export class AuditPartitions1796000000000 implements MigrationInterface {
    name = 'AuditPartitions1796000000000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "audit_entries" RENAME TO "audit_entries_unpartitioned"`);
        await queryRunner.query(`ALTER SEQUENCE "audit_entries_id_seq" OWNED BY NONE`);
        await queryRunner.query(`ALTER TABLE "audit_entries_unpartitioned" DROP CONSTRAINT "PK_6b1623bcad4d04530b76548d619"`);
        for (const name of [...INDEX_NAMES, 'audit_entries_seq']) await queryRunner.query(`DROP INDEX "public"."${name}"`);

        await queryRunner.query(`CREATE TABLE "audit_entries" (LIKE "audit_entries_unpartitioned" INCLUDING DEFAULTS, CONSTRAINT "audit_entries_pkey" PRIMARY KEY ("id", "occurred_at")) PARTITION BY RANGE ("occurred_at")`);
        await queryRunner.query(ENSURE_PARTITIONS_FUNCTION);
        await queryRunner.query(`SELECT audit_entries_ensure_partitions(min, greatest(max, now() + interval '2 months'))
            FROM (SELECT coalesce(min("occurred_at"), now()) AS min, coalesce(max("occurred_at"), now()) AS max FROM "audit_entries_unpartitioned") AS bounds`);
        await queryRunner.query(`INSERT INTO "audit_entries" SELECT * FROM "audit_entries_unpartitioned"`);
        await queryRunner.query(`DROP TABLE "audit_entries_unpartitioned"`);
        await queryRunner.query(`ALTER SEQUENCE "audit_entries_id_seq" OWNED BY "audit_entries"."id"`);
        for (const ddl of INDEXES) await queryRunner.query(ddl);
        await queryRunner.query(APPEND_ONLY_TRIGGER);
        await queryRunner.query(NO_TRUNCATE_TRIGGER);
    }

    /** Back to one plain table (attached partitions only: a detached, archived period stays apart). */
    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "audit_entries" RENAME TO "audit_entries_partitioned"`);
        await queryRunner.query(`ALTER SEQUENCE "audit_entries_id_seq" OWNED BY NONE`);
        for (const name of INDEX_NAMES) await queryRunner.query(`DROP INDEX "public"."${name}"`);
        await queryRunner.query(`ALTER TABLE "audit_entries_partitioned" DROP CONSTRAINT "audit_entries_pkey"`);

        await queryRunner.query(`CREATE TABLE "audit_entries" (LIKE "audit_entries_partitioned" INCLUDING DEFAULTS, CONSTRAINT "PK_6b1623bcad4d04530b76548d619" PRIMARY KEY ("id"))`);
        await queryRunner.query(`INSERT INTO "audit_entries" SELECT * FROM "audit_entries_partitioned"`);
        await queryRunner.query(`DROP TABLE "audit_entries_partitioned"`);
        await queryRunner.query(`DROP FUNCTION audit_entries_ensure_partitions(timestamptz, timestamptz)`);
        await queryRunner.query(`ALTER SEQUENCE "audit_entries_id_seq" OWNED BY "audit_entries"."id"`);
        for (const ddl of INDEXES) await queryRunner.query(ddl);
        await queryRunner.query(`CREATE UNIQUE INDEX "audit_entries_seq" ON "audit_entries" ("seq")`);
        await queryRunner.query(APPEND_ONLY_TRIGGER);
        await queryRunner.query(NO_TRUNCATE_TRIGGER);
    }
}

/** The entity's indexes (names as `migration:generate` gave them), the same on either table. */
const INDEXES = [
    `CREATE INDEX "IDX_6f797e914abf598c14a076caa4" ON "audit_entries" ("occurred_at")`,
    `CREATE INDEX "IDX_3de81a07b7814200a3b663d611" ON "audit_entries" ("request_id")`,
    `CREATE INDEX "IDX_b89b74815f815f4b345d9bae43" ON "audit_entries" ("connection_id", "occurred_at")`,
    `CREATE INDEX "audit_entries_action" ON "audit_entries" ("action", "occurred_at") WHERE "action" IS NOT NULL`,
    `CREATE INDEX "audit_entries_assistant_username" ON "audit_entries" ("assistant_username", "occurred_at") WHERE "assistant_username" IS NOT NULL`,
    `CREATE INDEX "audit_entries_assistant" ON "audit_entries" ("assistant_account_id", "occurred_at") WHERE "assistant_account_id" IS NOT NULL`,
    `CREATE INDEX "audit_entries_actor_username" ON "audit_entries" ("actor_username", "occurred_at") WHERE "actor_username" IS NOT NULL`,
    `CREATE INDEX "audit_entries_actor" ON "audit_entries" ("actor_account_id", "occurred_at") WHERE "actor_account_id" IS NOT NULL`,
];
const INDEX_NAMES = INDEXES.map((ddl) => /INDEX "([^"]+)"/.exec(ddl)![1]);

const APPEND_ONLY_TRIGGER = `CREATE TRIGGER "audit_entries_append_only" BEFORE UPDATE OR DELETE ON "audit_entries" FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()`;
const NO_TRUNCATE_TRIGGER = `CREATE TRIGGER "audit_entries_no_truncate" BEFORE TRUNCATE ON "audit_entries" FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()`;

/**
 * Creates the monthly partitions `audit_entries_YYYY_MM` covering `from_ts`..`to_ts` that do not
 * exist yet, each with its unique index on seq and its TRUNCATE guard; returns how many it made.
 * A month whose table exists but is no partition was archived (detached): writing to it again is
 * refused. Serialised by a transaction-level advisory lock ('auditprt'), as several instances
 * may call it at once.
 */
const ENSURE_PARTITIONS_FUNCTION = `CREATE FUNCTION audit_entries_ensure_partitions(from_ts timestamptz, to_ts timestamptz) RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
    month timestamp := date_trunc('month', from_ts AT TIME ZONE 'UTC');
    last_month timestamp := date_trunc('month', to_ts AT TIME ZONE 'UTC');
    part text;
    created integer := 0;
BEGIN
    PERFORM pg_advisory_xact_lock(7022629598042026612);
    WHILE month <= last_month LOOP
        part := 'audit_entries_' || to_char(month, 'YYYY_MM');
        IF to_regclass(quote_ident(part)) IS NULL THEN
            EXECUTE format('CREATE TABLE %I PARTITION OF audit_entries FOR VALUES FROM (%L) TO (%L)',
                part, to_char(month, 'YYYY-MM-DD') || ' 00:00:00+00', to_char(month + interval '1 month', 'YYYY-MM-DD') || ' 00:00:00+00');
            created := created + 1;
        ELSIF NOT EXISTS (SELECT 1 FROM pg_inherits WHERE inhrelid = to_regclass(quote_ident(part)) AND inhparent = 'audit_entries'::regclass) THEN
            RAISE EXCEPTION 'audit period % was archived (table % is detached): it takes no more entries', to_char(month, 'YYYY-MM'), part
                USING ERRCODE = 'insufficient_privilege';
        END IF;
        IF to_regclass(quote_ident(part || '_seq')) IS NULL THEN
            EXECUTE format('CREATE UNIQUE INDEX %I ON %I (seq)', part || '_seq', part);
        END IF;
        IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = to_regclass(quote_ident(part)) AND tgname = part || '_no_truncate') THEN
            EXECUTE format('CREATE TRIGGER %I BEFORE TRUNCATE ON %I FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()', part || '_no_truncate', part);
        END IF;
        month := month + interval '1 month';
    END LOOP;
    RETURN created;
END
$$`;
