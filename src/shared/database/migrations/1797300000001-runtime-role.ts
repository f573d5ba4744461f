import { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Lets the gateway run as a role that owns nothing (src/shared/database/runtime-role.ts).
 *
 * `audit_entries_ensure_partitions` creates monthly partitions, which only the owner of
 * `audit_entries` may attach. It becomes SECURITY DEFINER: it runs as its owner (the role that
 * ran this migration, the tables' owner), so the partitions it makes belong to the owner too and
 * the runtime role never owns, and so never may alter, a part of the audit log. Its search_path
 * is fixed, as a definer function's must be, so that a caller cannot slip its own objects in.
 * EXECUTE is taken from PUBLIC; the grant gives it to the runtime role alone.
 */
export class RuntimeRole1797300000001 implements MigrationInterface {
    name = 'RuntimeRole1797300000001'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DO $$ BEGIN
            EXECUTE format('ALTER FUNCTION audit_entries_ensure_partitions(timestamptz, timestamptz) SECURITY DEFINER SET search_path = %I, pg_temp', current_schema());
        END $$`);
        await queryRunner.query(`REVOKE EXECUTE ON FUNCTION audit_entries_ensure_partitions(timestamptz, timestamptz) FROM PUBLIC`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`GRANT EXECUTE ON FUNCTION audit_entries_ensure_partitions(timestamptz, timestamptz) TO PUBLIC`);
        await queryRunner.query(`ALTER FUNCTION audit_entries_ensure_partitions(timestamptz, timestamptz) SECURITY INVOKER RESET search_path`);
    }
}
