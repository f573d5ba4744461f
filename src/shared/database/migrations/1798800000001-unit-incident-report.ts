import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * IV.5.d: the official report a connected unit sends within 24 hours of detecting an incident
 * (its notice, within 2 hours, opened the incident): when it was filed and the document it was
 * sent as (number, date, recipient, the uploaded scan), as the officers' step documents are kept.
 */
export class UnitIncidentReport1798800000001 implements MigrationInterface {
  name = 'UnitIncidentReport1798800000001';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE incidents ADD COLUMN unit_report_at timestamptz, ADD COLUMN unit_report_document jsonb`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE incidents DROP COLUMN unit_report_document, DROP COLUMN unit_report_at`);
  }
}
