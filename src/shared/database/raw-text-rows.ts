import type pg from 'pg';

/**
 * Query options for a statement whose columns are all `text`: the binary result format, where a
 * text value is its UTF-8 bytes, and no type parser, so each column arrives as a Buffer, never
 * decoded into a JS string. For a pull page (~100 KB of Vietnamese JSON that only goes on to the
 * socket) decoding and encoding it again were a quarter of the gateway's CPU per page built (V8
 * holds non-ASCII text as two-byte strings). TypeORM cannot ask for the binary format: used through
 * PreparedStatement (rawText). Cast every column to text in the SQL: another type would arrive in
 * its binary encoding.
 */
export const RAW_TEXT = { binary: true, types: { getTypeParser: () => (value: unknown) => value } as pg.CustomTypesConfig };
