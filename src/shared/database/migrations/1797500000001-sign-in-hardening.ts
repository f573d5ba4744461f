import { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Sign-in hardening (issue 12, points 10, 11 and 13):
 * - failed sign-ins are counted per (username, source address), not per account, so that an
 *   outsider cannot lock a person out; a throttle per source address on the public sign-in routes;
 * - accounts are activated by their holder with a one-time code split between the administrator
 *   and the security officers (only its SHA-256 is stored), instead of an initial password that
 *   the administrator saw;
 * - sign-out: the ids of sessions ended early, until they expire.
 */
export class SignInHardening1797500000001 implements MigrationInterface {
    name = 'SignInHardening1797500000001'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "sign_in_failures" ("username" character varying(100) NOT NULL, "source" character varying(64) NOT NULL, "failures" integer NOT NULL DEFAULT '0', "blocked_until" TIMESTAMP WITH TIME ZONE, "last_failure_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_sign_in_failures" PRIMARY KEY ("username", "source"))`);
        await queryRunner.query(`CREATE TABLE "sign_in_sources" ("source" character varying(64) NOT NULL, "window_started_at" TIMESTAMP WITH TIME ZONE NOT NULL, "hits" integer NOT NULL, CONSTRAINT "PK_sign_in_sources" PRIMARY KEY ("source"))`);
        await queryRunner.query(`CREATE TABLE "ended_sessions" ("session_id" uuid NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_ended_sessions" PRIMARY KEY ("session_id"))`);
        await queryRunner.query(`ALTER TABLE "accounts" ADD "activation_hash" character(64)`);
        await queryRunner.query(`ALTER TABLE "accounts" ADD "activation_expires_at" TIMESTAMP WITH TIME ZONE`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "accounts" DROP COLUMN "activation_expires_at"`);
        await queryRunner.query(`ALTER TABLE "accounts" DROP COLUMN "activation_hash"`);
        await queryRunner.query(`DROP TABLE "ended_sessions"`);
        await queryRunner.query(`DROP TABLE "sign_in_sources"`);
        await queryRunner.query(`DROP TABLE "sign_in_failures"`);
    }
}
