import { MigrationInterface, QueryRunner } from "typeorm";

/**
 * `<table>_feed_horizon(lock_space)`: how far a data set's change feed may be read, now that its
 * writers no longer queue behind one exclusive lock. Why it is safe, and what the writers do, is in
 * src/data-exchange/shared/change-feed-writers.ts. Written by hand: TypeORM does not model functions.
 *
 * Two statements, in this order (a VOLATILE function's statements each see the state when they
 * began): the last change number handed out so far; then lowered to the lowest floor announced by
 * a writer still in flight, i.e. holding a shared advisory lock with the key
 * `(lock_space << 40) | floor`, all of whose change numbers exceed `floor`.
 */
export class ChangeFeedWriters1798400000001 implements MigrationInterface {
    name = 'ChangeFeedWriters1798400000001'

    public async up(queryRunner: QueryRunner): Promise<void> {
        for (const table of TABLES) await queryRunner.query(horizonFunction(table));
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        for (const table of TABLES) await queryRunner.query(`DROP FUNCTION ${table}_feed_horizon(bigint)`);
    }
}

const TABLES = ['task_results', 'kpi_results'];

const horizonFunction = (table: string) => `
CREATE FUNCTION ${table}_feed_horizon(lock_space bigint) RETURNS bigint
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    horizon bigint;
BEGIN
    horizon := coalesce(pg_sequence_last_value('${table}_change_seq'::regclass), 0);
    RETURN least(horizon, (
        SELECT min(((l.classid::bigint - lock_space * 256) << 32) | l.objid::bigint)
          FROM pg_locks l
         WHERE l.locktype = 'advisory' AND l.objsubid = 1
           AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
           AND l.classid::bigint BETWEEN lock_space * 256 AND lock_space * 256 + 255));
END
$$`;
