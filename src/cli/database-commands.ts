import { parseArgs } from 'node:util';
import { DataSource } from 'typeorm';
import { APPEND_ONLY_TABLES, grantRuntimeRole, OWNER_WRITTEN_TABLES, RuntimeRoleRefused } from '../shared/database/runtime-role.js';
import { type Command, UsageError } from './commands.js';

/** Database administration the owner role does (src/shared/database/runtime-role.ts). */
export const DATABASE_COMMANDS: Record<string, Command> = {
  'db:grant-runtime-role': {
    summary: 'Grant the role the gateway runs as exactly what it needs (INSERT/SELECT only on the audit tables); run as the owner',
    usage: `--role NAME   (connects as DATABASE_MIGRATION_URL, or DATABASE_URL when that is unset, which must then be the owner)`,
    owner: true,
    async run(app, argv, print) {
      const { values } = parseArgs({ args: argv, options: { role: { type: 'string' } } });
      if (!values.role) throw new UsageError('--role is required: the role DATABASE_URL logs in as');
      try {
        const { tables } = await grantRuntimeRole(app.get(DataSource), values.role);
        print(`role ${values.role}: SELECT, INSERT on ${APPEND_ONLY_TABLES.join(', ')}; SELECT on ${OWNER_WRITTEN_TABLES.join(', ')}; SELECT, INSERT, UPDATE, DELETE on the other ${tables - APPEND_ONLY_TABLES.length - OWNER_WRITTEN_TABLES.length} tables; no TRUNCATE, no ownership`);
      } catch (error) {
        if (error instanceof RuntimeRoleRefused) throw new UsageError(error.message);
        throw error;
      }
    },
  },
};
