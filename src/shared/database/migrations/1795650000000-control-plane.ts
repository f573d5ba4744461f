import { MigrationInterface, QueryRunner } from "typeorm";

/** The control plane: accounts, delegation, the connection lifecycle, documents and notifications. Generated from the entities. */

export class ControlPlane1795650000000 implements MigrationInterface {
    name = 'ControlPlane1795650000000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "account_events" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "account_id" uuid NOT NULL, "kind" character varying(40) NOT NULL, "actor_id" uuid, "details" jsonb NOT NULL DEFAULT '{}', "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_096b79d6426e443a0f0b096e7cf" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_2c3916581bee21ef0bff73d00e" ON "account_events"  ("account_id") `);
        await queryRunner.query(`CREATE TABLE "accounts" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "username" character varying(100) NOT NULL, "role" character varying(32) NOT NULL, "unit" character varying(300), "holder_name" character varying(200) NOT NULL, "password_hash" text NOT NULL, "totp_secret" character varying(64), "totp_enrolled" boolean NOT NULL DEFAULT false, "totp_last_step" bigint, "failed_logins" integer NOT NULL DEFAULT '0', "locked_until" TIMESTAMP WITH TIME ZONE, "credentials_version" integer NOT NULL DEFAULT '1', "active" boolean NOT NULL DEFAULT true, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_5a7a02c20412299d198e097a8fe" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "IDX_477e3187cedfb5a3ac121e899c" ON "accounts"  ("username") `);
        await queryRunner.query(`CREATE TABLE "delegations" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "delegator_id" uuid NOT NULL, "assistant_id" uuid NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "revoked_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_01f9fbbc9b3bf52236a4e951b19" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_12052c597beec0d266408347cd" ON "delegations"  ("assistant_id", "delegator_id") `);
        await queryRunner.query(`CREATE TABLE "connection_agreements" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "connection_id" uuid NOT NULL, "version" integer NOT NULL, "scope" jsonb NOT NULL, "data_format" text NOT NULL, "frequency" text NOT NULL, "security_measures" text NOT NULL, "responsibilities" text NOT NULL, "incident_handling" text NOT NULL, "signatories" jsonb NOT NULL, "signed_on" date NOT NULL, "recorded_by" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_ae4af37a7d63355f062e37b3c5c" UNIQUE ("connection_id", "version"), CONSTRAINT "PK_d824cafdf940feaad89f4b06342" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE TABLE "connection_events" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "connection_id" uuid NOT NULL, "action" character varying(40) NOT NULL, "from_state" character varying(32), "to_state" character varying(32) NOT NULL, "actor_id" uuid, "actor_name" character varying(200) NOT NULL, "assistant_name" character varying(200), "reason" text, "changes" jsonb NOT NULL DEFAULT '{}', "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_57d44b0175efbb40906a4480593" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_53e4f84d9d5851093114510cd9" ON "connection_events"  ("connection_id", "occurred_at") `);
        await queryRunner.query(`CREATE TABLE "documents" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "unit" character varying(300), "uploaded_by" uuid NOT NULL, "file_name" character varying(255) NOT NULL, "media_type" character varying(200) NOT NULL, "size_bytes" integer NOT NULL, "sha256" character(64) NOT NULL, "content" bytea NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_ac51aa5181ee2036f5ca482857c" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE TABLE "notifications" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "unit" character varying(300) NOT NULL, "connection_id" uuid, "kind" character varying(40) NOT NULL, "message" text NOT NULL, "data" jsonb NOT NULL DEFAULT '{}', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "read_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_6a72c3c0f683f6462415e653c3a" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_5205b0494edf07eaa2f4499384" ON "notifications"  ("unit", "created_at") `);
        await queryRunner.query(`CREATE TABLE "unit_webhooks" ("unit" character varying(300) NOT NULL, "url" text NOT NULL, "secret" character varying(64) NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_c12ffa9126c171663bf640f35fb" PRIMARY KEY ("unit"))`);
        await queryRunner.query(`CREATE TABLE "webhook_deliveries" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "notification_id" uuid NOT NULL, "url" text NOT NULL, "attempts" integer NOT NULL DEFAULT '0', "next_attempt_at" TIMESTAMP WITH TIME ZONE NOT NULL, "delivered_at" TIMESTAMP WITH TIME ZONE, "last_error" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_535dd409947fb6d8fc6dfc0112a" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_3ef4580be61246ef4c1c269a34" ON "webhook_deliveries"  ("delivered_at", "next_attempt_at") `);
        await queryRunner.query(`ALTER TABLE "connections" ADD "state_before_suspension" character varying(32)`);
        await queryRunner.query(`ALTER TABLE "connections" ADD "dossier" jsonb`);
        await queryRunner.query(`ALTER TABLE "connections" ADD "return_reason" text`);
        await queryRunner.query(`ALTER TABLE "connections" ADD "agreement_version" integer`);
        await queryRunner.query(`ALTER TABLE "connections" ADD "unit_code" character varying(64)`);
        await queryRunner.query(`ALTER TABLE "connections" ADD "pending_csrs" jsonb NOT NULL DEFAULT '[]'`);
        await queryRunner.query(`ALTER TABLE "connections" ADD "test_confirmation" jsonb`);
        await queryRunner.query(`ALTER TABLE "connections" ADD "go_live_date" date`);
        await queryRunner.query(`ALTER TABLE "connections" ADD "re_evaluation_due" date`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "connections" DROP COLUMN "re_evaluation_due"`);
        await queryRunner.query(`ALTER TABLE "connections" DROP COLUMN "go_live_date"`);
        await queryRunner.query(`ALTER TABLE "connections" DROP COLUMN "test_confirmation"`);
        await queryRunner.query(`ALTER TABLE "connections" DROP COLUMN "pending_csrs"`);
        await queryRunner.query(`ALTER TABLE "connections" DROP COLUMN "unit_code"`);
        await queryRunner.query(`ALTER TABLE "connections" DROP COLUMN "agreement_version"`);
        await queryRunner.query(`ALTER TABLE "connections" DROP COLUMN "return_reason"`);
        await queryRunner.query(`ALTER TABLE "connections" DROP COLUMN "dossier"`);
        await queryRunner.query(`ALTER TABLE "connections" DROP COLUMN "state_before_suspension"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_3ef4580be61246ef4c1c269a34"`);
        await queryRunner.query(`DROP TABLE "webhook_deliveries"`);
        await queryRunner.query(`DROP TABLE "unit_webhooks"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_5205b0494edf07eaa2f4499384"`);
        await queryRunner.query(`DROP TABLE "notifications"`);
        await queryRunner.query(`DROP TABLE "documents"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_53e4f84d9d5851093114510cd9"`);
        await queryRunner.query(`DROP TABLE "connection_events"`);
        await queryRunner.query(`DROP TABLE "connection_agreements"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_12052c597beec0d266408347cd"`);
        await queryRunner.query(`DROP TABLE "delegations"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_477e3187cedfb5a3ac121e899c"`);
        await queryRunner.query(`DROP TABLE "accounts"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_2c3916581bee21ef0bff73d00e"`);
        await queryRunner.query(`DROP TABLE "account_events"`);
    }

}
