import pg from 'pg';
import type { CustomTypesConfig } from 'pg';

/**
 * How the gateway's database connections turn PostgreSQL values into JavaScript ones. Given to each
 * connection (`dataSourceOptions` → pg's `types` option), not set on pg's process-wide table, so
 * every DataSource built from dataSourceOptions — the planes, the CLI, the TypeORM CLI, the tests —
 * reads alike, and importing a module changes nothing for any other pg client in the process.
 *
 * DATE columns stay 'YYYY-MM-DD' strings (valid_from, signed_on, …): pg's default parser turns
 * them into Dates at local midnight, which shifts the day when the server's zone is not UTC.
 */
export const GATEWAY_TYPE_PARSERS: CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === pg.types.builtins.DATE && format !== 'binary') return (value: string) => value;
    return pg.types.getTypeParser(oid, format);
  }) as CustomTypesConfig['getTypeParser'],
};
