import { MigrationInterface, QueryRunner } from "typeorm";
import { entryFromRow, entryHash, GENESIS_HASH } from "../../../audit/chain/audit-chain.js";

/**
 * The audit log as legal evidence (src/audit/README.md): every entry becomes a link of one
 * SHA-256 hash chain (`seq`, `prev_hash`, `entry_hash`), signed checkpoints seal ranges of it,
 * and triggers keep both tables append-only. Entries written before this migration are chained
 * here, in id order, so the whole log verifies from its first row.
 *
 * Written by hand; the table and column DDL is what `migration:generate` produces for the
 * entities, so the drift check stays empty (TypeORM does not model the functions and triggers).
 */
export class AuditChain1795430000000 implements MigrationInterface {
    name = 'AuditChain1795430000000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "audit_entries" ADD "seq" bigint`);
        await queryRunner.query(`ALTER TABLE "audit_entries" ADD "prev_hash" character(64)`);
        await queryRunner.query(`ALTER TABLE "audit_entries" ADD "entry_hash" character(64)`);
        await this.chainExistingEntries(queryRunner);
        await queryRunner.query(`ALTER TABLE "audit_entries" ALTER COLUMN "seq" SET NOT NULL`);
        await queryRunner.query(`ALTER TABLE "audit_entries" ALTER COLUMN "prev_hash" SET NOT NULL`);
        await queryRunner.query(`ALTER TABLE "audit_entries" ALTER COLUMN "entry_hash" SET NOT NULL`);
        await queryRunner.query(`CREATE UNIQUE INDEX "audit_entries_seq" ON "audit_entries"  ("seq") `);

        await queryRunner.query(`CREATE TABLE "audit_checkpoints" ("id" BIGSERIAL NOT NULL, "first_seq" bigint NOT NULL, "last_seq" bigint NOT NULL, "entry_count" integer NOT NULL, "period_start" TIMESTAMP WITH TIME ZONE NOT NULL, "period_end" TIMESTAMP WITH TIME ZONE NOT NULL, "last_entry_hash" character(64) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "key_id" character(64) NOT NULL, "signature" text NOT NULL, CONSTRAINT "audit_checkpoints_pkey" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "audit_checkpoints_last_seq" ON "audit_checkpoints"  ("last_seq") `);

        // Append-only: no row of either table is ever updated or deleted, by the gateway or anyone
        // connecting as its database user. TRUNCATE is refused too, except in a session that has
        // run `SET gateway.allow_audit_truncate = on` (the e2e tests' reset between suites).
        await queryRunner.query(`CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' AND current_setting('gateway.allow_audit_truncate', true) = 'on' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'the audit log is append-only: % on % is not allowed', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END
$$`);
        for (const table of ['audit_entries', 'audit_checkpoints']) {
            await queryRunner.query(`CREATE TRIGGER "${table}_append_only" BEFORE UPDATE OR DELETE ON "${table}" FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()`);
            await queryRunner.query(`CREATE TRIGGER "${table}_no_truncate" BEFORE TRUNCATE ON "${table}" FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()`);
        }
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        for (const table of ['audit_checkpoints', 'audit_entries']) {
            await queryRunner.query(`DROP TRIGGER "${table}_no_truncate" ON "${table}"`);
            await queryRunner.query(`DROP TRIGGER "${table}_append_only" ON "${table}"`);
        }
        await queryRunner.query(`DROP FUNCTION audit_log_append_only()`);
        await queryRunner.query(`DROP INDEX "public"."audit_checkpoints_last_seq"`);
        await queryRunner.query(`DROP TABLE "audit_checkpoints"`);
        await queryRunner.query(`DROP INDEX "public"."audit_entries_seq"`);
        await queryRunner.query(`ALTER TABLE "audit_entries" DROP COLUMN "entry_hash"`);
        await queryRunner.query(`ALTER TABLE "audit_entries" DROP COLUMN "prev_hash"`);
        await queryRunner.query(`ALTER TABLE "audit_entries" DROP COLUMN "seq"`);
    }

    /** Links the entries already there, oldest row first, in batches. */
    private async chainExistingEntries(queryRunner: QueryRunner): Promise<void> {
        let prevHash = GENESIS_HASH;
        let seq = 0n;
        let afterId = '0';
        for (;;) {
            const rows: Record<string, unknown>[] = await queryRunner.query(
                `SELECT * FROM "audit_entries" WHERE "id" > $1 ORDER BY "id" LIMIT 5000`, [afterId]);
            if (rows.length === 0) return;
            const links = rows.map((row) => {
                const entry = entryFromRow({ ...row, seq: String(++seq) });
                const hash = entryHash(entry, prevHash);
                const link = { id: entry.id, seq: entry.seq, prev: prevHash, hash };
                prevHash = hash;
                return link;
            });
            await queryRunner.query(
                `UPDATE "audit_entries" AS a SET "seq" = l.seq, "prev_hash" = l.prev, "entry_hash" = l.hash
                   FROM jsonb_to_recordset($1::jsonb) AS l(id bigint, seq bigint, prev text, hash text)
                  WHERE a."id" = l.id`, [JSON.stringify(links)]);
            afterId = links[links.length - 1].id;
        }
    }
}
