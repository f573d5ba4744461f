import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The lifecycle's paperwork (Appendix II part I; App. III.III; IV.5.d): the competent body's
 * security check, the leadership decision the appraisal reports, the unit's 24/7 incident
 * contact, the remedy deadline a failed re-evaluation sets, the signed agreement's scan, and for
 * incidents the time the unit detected it and the document of each reporting step. All nullable:
 * records made before this change have none, and the code requires them only of new acts.
 */
export class LifecyclePaperwork1798100000001 implements MigrationInterface {
  name = 'LifecyclePaperwork1798100000001';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "connections" ADD "security_check" jsonb, ADD "leadership_decision" jsonb, ADD "incident_contact" jsonb, ADD "remedy_deadline" jsonb`);
    await queryRunner.query(`ALTER TABLE "connection_agreements" ADD "document_id" uuid`);
    await queryRunner.query(`ALTER TABLE "incidents" ADD "detected_at" TIMESTAMP WITH TIME ZONE, ADD "report_document" jsonb, ADD "official_report_document" jsonb, ADD "review_document" jsonb`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "incidents" DROP COLUMN "review_document", DROP COLUMN "official_report_document", DROP COLUMN "report_document", DROP COLUMN "detected_at"`);
    await queryRunner.query(`ALTER TABLE "connection_agreements" DROP COLUMN "document_id"`);
    await queryRunner.query(`ALTER TABLE "connections" DROP COLUMN "remedy_deadline", DROP COLUMN "incident_contact", DROP COLUMN "leadership_decision", DROP COLUMN "security_check"`);
  }
}
