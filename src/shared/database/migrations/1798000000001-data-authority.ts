import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Data authority (issue 14): the task flow's state on each record (review, receipt, dispute) and
 * the version history of every record. record_versions is append-only for the runtime role
 * (runtime-role.ts APPEND_ONLY_TABLES): the history a dispute is settled from is never rewritten.
 * Existing records start PENDING review, not received, not disputed, with no versions before
 * this migration (their earlier states were never kept).
 */
export class DataAuthority1798000000001 implements MigrationInterface {
  name = 'DataAuthority1798000000001';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "record_versions" ("data_set" character varying(16) NOT NULL, "environment" character varying(16) NOT NULL, "record_key" character varying(300) NOT NULL, "version" integer NOT NULL, "change" character varying(16) NOT NULL, "body" jsonb NOT NULL, "connection_id" uuid NOT NULL, "certificate_thumbprint" character varying(128) NOT NULL, "request_id" uuid NOT NULL, "recorded_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_03b8411f6f0e81951bc1d8d1cf4" PRIMARY KEY ("data_set", "environment", "record_key", "version"))`);
    await queryRunner.query(`CREATE INDEX "record_versions_request" ON "record_versions" ("request_id") `);
    for (const table of ['task_results', 'kpi_results']) {
      await queryRunner.query(`ALTER TABLE "${table}" ADD "review_status" character varying(16) NOT NULL DEFAULT 'PENDING'`);
      await queryRunner.query(`ALTER TABLE "${table}" ADD "review_explanation" text`);
      await queryRunner.query(`ALTER TABLE "${table}" ADD "reviewed_at" TIMESTAMP WITH TIME ZONE`);
      await queryRunner.query(`ALTER TABLE "${table}" ADD "received_at" TIMESTAMP WITH TIME ZONE`);
      await queryRunner.query(`ALTER TABLE "${table}" ADD "dispute_status" character varying(16)`);
      await queryRunner.query(`ALTER TABLE "${table}" ADD "dispute_reason" text`);
      await queryRunner.query(`ALTER TABLE "${table}" ADD "disputed_at" TIMESTAMP WITH TIME ZONE`);
      await queryRunner.query(`ALTER TABLE "${table}" ADD CONSTRAINT "CHK_${table}_review_status" CHECK ("review_status" IN ('PENDING', 'APPROVED', 'RETURNED'))`);
      await queryRunner.query(`ALTER TABLE "${table}" ADD CONSTRAINT "CHK_${table}_dispute_status" CHECK ("dispute_status" IN ('OPEN', 'ANSWERED'))`);
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['task_results', 'kpi_results']) {
      await queryRunner.query(`ALTER TABLE "${table}" DROP CONSTRAINT "CHK_${table}_dispute_status"`);
      await queryRunner.query(`ALTER TABLE "${table}" DROP CONSTRAINT "CHK_${table}_review_status"`);
      for (const column of ['disputed_at', 'dispute_reason', 'dispute_status', 'received_at', 'reviewed_at', 'review_explanation', 'review_status']) {
        await queryRunner.query(`ALTER TABLE "${table}" DROP COLUMN "${column}"`);
      }
    }
    await queryRunner.query(`DROP TABLE "record_versions"`);
  }
}
