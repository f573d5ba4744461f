import type pg from 'pg';
import type { DataSource } from 'typeorm';

/** Every column as the bytes PostgreSQL sent (see rawTextRows). */
const AS_SENT: pg.CustomTypesConfig = { getTypeParser: () => (value: unknown) => value };

/**
 * Runs a query whose columns are all `text`, asking for the binary result format, where a text
 * value is its UTF-8 bytes: each column arrives as a Buffer, never decoded into a JS string. For a
 * pull page (~100 KB of Vietnamese JSON that only goes on to the socket) decoding and encoding it
 * again were a quarter of the gateway's CPU per page built (V8 holds non-ASCII text as two-byte
 * strings). TypeORM cannot ask for the binary format, so this goes to its `pg` pool directly.
 * Cast every column to text in the SQL: another type would arrive in its binary encoding.
 */
export async function rawTextRows<Row extends Record<string, Buffer | null>>(db: DataSource, text: string, values: unknown[]): Promise<Row[]> {
  const pool = (db.driver as unknown as { master: pg.Pool }).master;
  const result = await pool.query<Row>({ text, values, binary: true, types: AS_SENT } as pg.QueryConfig);
  return result.rows;
}
