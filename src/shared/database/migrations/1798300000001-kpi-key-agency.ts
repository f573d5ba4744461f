import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 14.5: a KPI result is keyed by environment, indicator, period AND reporting agency, so
 * that agencies reporting the same indicator for the same period each have their record.
 *
 * Every existing record stays valid and keeps its content and version: the old key was unique,
 * so the wider one is too. The agency's code becomes part of the key and so NOT NULL: a record
 * stored before the unit register under a name it could not place (null code, seen only by
 * readers of every unit) gets '' — the API still shows null for it (kpi-result.schema.ts), and
 * the register's placement (unit-changes.service.ts) still gives it a code when its name becomes
 * known. The kept versions of KPI results are re-keyed to the record key they now have
 * ('indicator/period/agency'): their content is not touched. This runs as the owner role;
 * record_versions stays append-only for the runtime role.
 */
export class KpiKeyAgency1798300000001 implements MigrationInterface {
  name = 'KpiKeyAgency1798300000001';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`UPDATE "kpi_results" SET "reporting_agency_code" = '' WHERE "reporting_agency_code" IS NULL`);
    await queryRunner.query(`ALTER TABLE "kpi_results" ALTER COLUMN "reporting_agency_code" SET NOT NULL`);
    await queryRunner.query(`ALTER TABLE "kpi_results" DROP CONSTRAINT "PK_4c555b925be60bf4caf0062de66"`);
    await queryRunner.query(`ALTER TABLE "kpi_results" ADD CONSTRAINT "PK_c88ceb6914cd86500361e68fd88" PRIMARY KEY ("environment", "indicator_code", "period", "reporting_agency_code")`);
    await queryRunner.query(
      `UPDATE "record_versions" v SET "record_key" = v."record_key" || '/' || k."reporting_agency_code"
         FROM "kpi_results" k
        WHERE v."data_set" = 'kpi-results' AND v."environment" = k."environment" AND v."record_key" = k."indicator_code" || '/' || k."period"`,
    );
  }

  /** Refused (the old key is violated) once two agencies report one indicator for one period. */
  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `UPDATE "record_versions" v SET "record_key" = k."indicator_code" || '/' || k."period"
         FROM "kpi_results" k
        WHERE v."data_set" = 'kpi-results' AND v."environment" = k."environment"
          AND v."record_key" = k."indicator_code" || '/' || k."period" || '/' || k."reporting_agency_code"`,
    );
    await queryRunner.query(`ALTER TABLE "kpi_results" DROP CONSTRAINT "PK_c88ceb6914cd86500361e68fd88"`);
    await queryRunner.query(`ALTER TABLE "kpi_results" ADD CONSTRAINT "PK_4c555b925be60bf4caf0062de66" PRIMARY KEY ("environment", "indicator_code", "period")`);
    await queryRunner.query(`ALTER TABLE "kpi_results" ALTER COLUMN "reporting_agency_code" DROP NOT NULL`);
    await queryRunner.query(`UPDATE "kpi_results" SET "reporting_agency_code" = NULL WHERE "reporting_agency_code" = ''`);
  }
}
