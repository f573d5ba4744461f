import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `control_sessions`: each control-plane session as opened (token id, whose, from where, until
 * when), for the person's own list of sessions and ending one of them (SessionRegistry). Sessions
 * opened before this release are not in it; they end with their expiry as before.
 */
export class ControlSessions1798900000001 implements MigrationInterface {
  name = 'ControlSessions1798900000001';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "control_sessions" (
      "id" uuid NOT NULL,
      "account_id" uuid NOT NULL,
      "account_version" integer NOT NULL,
      "assistant_account_id" uuid,
      "assistant_version" integer,
      "opened_at" TIMESTAMP WITH TIME ZONE NOT NULL,
      "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
      "source_address" character varying(64) NOT NULL,
      "user_agent" character varying(300),
      "via" character varying(8) NOT NULL,
      "ended_at" TIMESTAMP WITH TIME ZONE,
      CONSTRAINT "PK_control_sessions" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_control_sessions_account" ON "control_sessions" ("account_id", "expires_at")`);
    await queryRunner.query(`CREATE INDEX "IDX_control_sessions_assistant" ON "control_sessions" ("assistant_account_id") WHERE assistant_account_id IS NOT NULL`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "control_sessions"`);
  }
}
