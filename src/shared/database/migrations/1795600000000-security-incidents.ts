import { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Security enforcement (src/security): incidents with their preserved evidence, the alert outbox,
 * and the record of each suspension. The table DDL is what `migration:generate` produces for the
 * entities; the trigger that keeps evidence unaltered is added by hand (TypeORM does not model it).
 */
export class SecurityIncidents1795600000000 implements MigrationInterface {
    name = 'SecurityIncidents1795600000000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "incidents" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "connection_id" uuid, "source" character varying(32) NOT NULL, "reason_code" character varying(64) NOT NULL, "severity" character varying(16), "summary" text NOT NULL, "opened_by" character varying(200) NOT NULL, "opened_at" TIMESTAMP WITH TIME ZONE NOT NULL, "classified_at" TIMESTAMP WITH TIME ZONE, "reported_at" TIMESTAMP WITH TIME ZONE, "official_report_at" TIMESTAMP WITH TIME ZONE, "review_at" TIMESTAMP WITH TIME ZONE, "closed_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_ccb34c01719889017e2246469f9" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_50c503adfd3b3255eb5e38a649" ON "incidents"  ("opened_at") `);
        await queryRunner.query(`CREATE INDEX "IDX_335ae42eb455c9a7d3cc080e86" ON "incidents"  ("connection_id", "opened_at") `);
        await queryRunner.query(`CREATE TABLE "incident_evidence" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "incident_id" uuid NOT NULL, "kind" character varying(32) NOT NULL, "content" text NOT NULL, "sha256" character(64) NOT NULL, "recorded_by" character varying(200) NOT NULL, "recorded_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_1057fd62a207902829c9602a55f" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_07b627eae80034a9e9e44f9d3d" ON "incident_evidence"  ("incident_id") `);
        await queryRunner.query(`CREATE TABLE "security_alerts" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "incident_id" uuid, "kind" character varying(40) NOT NULL, "payload" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "attempts" integer NOT NULL DEFAULT '0', "next_attempt_at" TIMESTAMP WITH TIME ZONE NOT NULL, "delivered_at" TIMESTAMP WITH TIME ZONE, "last_error" character varying(500), CONSTRAINT "PK_0024f4bc0437b38d627158a1c18" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "security_alerts_pending" ON "security_alerts"  ("next_attempt_at") WHERE delivered_at IS NULL`);
        await queryRunner.query(`CREATE TABLE "connection_suspensions" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "connection_id" uuid NOT NULL, "previous_state" character varying(32) NOT NULL, "reason_code" character varying(64) NOT NULL, "suspended_by" character varying(200) NOT NULL, "suspended_at" TIMESTAMP WITH TIME ZONE NOT NULL, "incident_id" uuid, "restored_at" TIMESTAMP WITH TIME ZONE, "restored_by" character varying(200), "restore_justification" text, CONSTRAINT "PK_11fb0bd03c2c19f9d197e2bc71e" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_70f6e9db1b234776651d8c0616" ON "connection_suspensions"  ("connection_id", "suspended_at") `);
        await queryRunner.query(`ALTER TABLE "incident_evidence" ADD CONSTRAINT "FK_07b627eae80034a9e9e44f9d3d7" FOREIGN KEY ("incident_id") REFERENCES "incidents"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);

        // Evidence is preserved as recorded (Appendix III.III step 3): rows are never updated or deleted.
        await queryRunner.query(`CREATE FUNCTION incident_evidence_unaltered() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'incident evidence is kept unaltered: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$`);
        await queryRunner.query(`CREATE TRIGGER "incident_evidence_unaltered" BEFORE UPDATE OR DELETE ON "incident_evidence" FOR EACH ROW EXECUTE FUNCTION incident_evidence_unaltered()`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP TRIGGER "incident_evidence_unaltered" ON "incident_evidence"`);
        await queryRunner.query(`DROP FUNCTION incident_evidence_unaltered()`);
        await queryRunner.query(`ALTER TABLE "incident_evidence" DROP CONSTRAINT "FK_07b627eae80034a9e9e44f9d3d7"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_70f6e9db1b234776651d8c0616"`);
        await queryRunner.query(`DROP TABLE "connection_suspensions"`);
        await queryRunner.query(`DROP INDEX "public"."security_alerts_pending"`);
        await queryRunner.query(`DROP TABLE "security_alerts"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_07b627eae80034a9e9e44f9d3d"`);
        await queryRunner.query(`DROP TABLE "incident_evidence"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_335ae42eb455c9a7d3cc080e86"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_50c503adfd3b3255eb5e38a649"`);
        await queryRunner.query(`DROP TABLE "incidents"`);
    }
}
