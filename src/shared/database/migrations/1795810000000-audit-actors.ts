import { MigrationInterface, QueryRunner } from "typeorm";

/**
 * The audit log names people (src/audit/README.md): who acted (and under delegation, the
 * assistant), the control-plane action and its target, the SHA-256 of the request body and a few
 * details. All nullable; `entry_format` says which serialisation an entry's hash covers: the
 * entries already there keep format 1 (`audit-entry/v1`) and still verify, new ones are format 2.
 *
 * Adding columns touches no row (PostgreSQL stores the default in the catalogue), so the
 * append-only triggers are not involved. The partial indexes serve the auditors' searches and
 * cost the data plane's rows, which have no actor, nothing.
 */
export class AuditActors1795810000000 implements MigrationInterface {
    name = 'AuditActors1795810000000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "audit_entries" ADD "entry_format" smallint NOT NULL DEFAULT '1'`);
        await queryRunner.query(`ALTER TABLE "audit_entries" ADD "action" character varying(64)`);
        await queryRunner.query(`ALTER TABLE "audit_entries" ADD "actor_account_id" uuid`);
        await queryRunner.query(`ALTER TABLE "audit_entries" ADD "actor_username" character varying(100)`);
        await queryRunner.query(`ALTER TABLE "audit_entries" ADD "actor_holder_name" character varying(200)`);
        await queryRunner.query(`ALTER TABLE "audit_entries" ADD "actor_role" character varying(32)`);
        await queryRunner.query(`ALTER TABLE "audit_entries" ADD "assistant_account_id" uuid`);
        await queryRunner.query(`ALTER TABLE "audit_entries" ADD "assistant_username" character varying(100)`);
        await queryRunner.query(`ALTER TABLE "audit_entries" ADD "assistant_holder_name" character varying(200)`);
        await queryRunner.query(`ALTER TABLE "audit_entries" ADD "target_type" character varying(40)`);
        await queryRunner.query(`ALTER TABLE "audit_entries" ADD "target_id" character varying(100)`);
        await queryRunner.query(`ALTER TABLE "audit_entries" ADD "payload_sha256" character(64)`);
        await queryRunner.query(`ALTER TABLE "audit_entries" ADD "details" text`);
        await queryRunner.query(`CREATE INDEX "audit_entries_action" ON "audit_entries" ("action", "occurred_at") WHERE "action" IS NOT NULL`);
        await queryRunner.query(`CREATE INDEX "audit_entries_assistant_username" ON "audit_entries" ("assistant_username", "occurred_at") WHERE "assistant_username" IS NOT NULL`);
        await queryRunner.query(`CREATE INDEX "audit_entries_assistant" ON "audit_entries" ("assistant_account_id", "occurred_at") WHERE "assistant_account_id" IS NOT NULL`);
        await queryRunner.query(`CREATE INDEX "audit_entries_actor_username" ON "audit_entries" ("actor_username", "occurred_at") WHERE "actor_username" IS NOT NULL`);
        await queryRunner.query(`CREATE INDEX "audit_entries_actor" ON "audit_entries" ("actor_account_id", "occurred_at") WHERE "actor_account_id" IS NOT NULL`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."audit_entries_actor"`);
        await queryRunner.query(`DROP INDEX "public"."audit_entries_actor_username"`);
        await queryRunner.query(`DROP INDEX "public"."audit_entries_assistant"`);
        await queryRunner.query(`DROP INDEX "public"."audit_entries_assistant_username"`);
        await queryRunner.query(`DROP INDEX "public"."audit_entries_action"`);
        // Dropping the columns would leave format-2 entries that no longer verify: only undo this
        // on a log with no format-2 entry (e.g. right after migrating).
        await queryRunner.query(`ALTER TABLE "audit_entries" DROP COLUMN "details"`);
        await queryRunner.query(`ALTER TABLE "audit_entries" DROP COLUMN "payload_sha256"`);
        await queryRunner.query(`ALTER TABLE "audit_entries" DROP COLUMN "target_id"`);
        await queryRunner.query(`ALTER TABLE "audit_entries" DROP COLUMN "target_type"`);
        await queryRunner.query(`ALTER TABLE "audit_entries" DROP COLUMN "assistant_holder_name"`);
        await queryRunner.query(`ALTER TABLE "audit_entries" DROP COLUMN "assistant_username"`);
        await queryRunner.query(`ALTER TABLE "audit_entries" DROP COLUMN "assistant_account_id"`);
        await queryRunner.query(`ALTER TABLE "audit_entries" DROP COLUMN "actor_role"`);
        await queryRunner.query(`ALTER TABLE "audit_entries" DROP COLUMN "actor_holder_name"`);
        await queryRunner.query(`ALTER TABLE "audit_entries" DROP COLUMN "actor_username"`);
        await queryRunner.query(`ALTER TABLE "audit_entries" DROP COLUMN "actor_account_id"`);
        await queryRunner.query(`ALTER TABLE "audit_entries" DROP COLUMN "action"`);
        await queryRunner.query(`ALTER TABLE "audit_entries" DROP COLUMN "entry_format"`);
    }
}
