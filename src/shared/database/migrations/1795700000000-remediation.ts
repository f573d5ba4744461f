import { MigrationInterface, QueryRunner } from "typeorm";

/** IV.5.c remediation reports. Generated from the entity. */

export class Remediation1795700000000 implements MigrationInterface {
    name = 'Remediation1795700000000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "remediation_reports" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "connection_id" uuid NOT NULL, "cause" text NOT NULL, "measures_taken" text NOT NULL, "security_commitment" text NOT NULL, "confirmation_document_id" uuid NOT NULL, "status" character varying(20) NOT NULL, "submitted_by" character varying(200) NOT NULL, "submitted_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "decided_by" character varying(200), "decided_at" TIMESTAMP WITH TIME ZONE, "decision_text" text, "restore_deadline" TIMESTAMP WITH TIME ZONE, "restored_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_1790847dac6537ef37f06ab7f97" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_10dd7a27778e216393b482eebf" ON "remediation_reports"  ("connection_id", "submitted_at") `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."IDX_10dd7a27778e216393b482eebf"`);
        await queryRunner.query(`DROP TABLE "remediation_reports"`);
    }

}
