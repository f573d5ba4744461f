import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { CliModule } from './cli/cli.module.js';
import { COMMANDS as CORE_COMMANDS, UsageError } from './cli/commands.js';
import { AUDIT_COMMANDS, runAuditCommandOffline } from './cli/audit-commands.js';
import { DATABASE_COMMANDS } from './cli/database-commands.js';
import { InvalidConfigError, loadGatewayConfig } from './shared/config/gateway-config.js';
import { writeDevPki } from './pki/dev-pki.js';
import { prepareRuntime } from './shared/runtime/runtime-setup.js';

const COMMANDS = { ...CORE_COMMANDS, ...AUDIT_COMMANDS, ...DATABASE_COMMANDS };

/** Operator commands: `npm run cli -- <command> [options]`. */
async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === 'pki:init-dev') {
    writeDevPki(rest[0] ?? 'certs-dev');
    console.log(`wrote a DEV-ONLY CA and server certificate to ${rest[0] ?? 'certs-dev'}/`);
    return 0;
  }
  const offline = runAuditCommandOffline(name, rest, (line) => console.log(line));
  if (offline) return offline.then(() => 0);
  const command = name ? COMMANDS[name] : undefined;
  if (!command) {
    console.log('usage: npm run cli -- <command> [options]\n');
    for (const [n, c] of Object.entries(COMMANDS)) console.log(`  ${n.padEnd(22)} ${c.summary}\n  ${' '.repeat(22)} ${c.usage}\n`);
    console.log(`  ${'pki:init-dev [DIR]'.padEnd(22)} Write a new DEV-ONLY CA and server certificate (default certs-dev/)`);
    return name ? 2 : 0;
  }
  const config = loadGatewayConfig();
  if (command.owner && config.DATABASE_MIGRATION_URL) config.DATABASE_URL = config.DATABASE_MIGRATION_URL;
  // While the gateway runs on its embedded database, join it rather than open the same files.
  const stopRuntime = await prepareRuntime(config, { embeddedDatabase: 'reuse-or-start' });
  const app = await NestFactory.createApplicationContext(CliModule.forRoot(config), { logger: ['error', 'warn'] });
  try {
    await command.run(app, rest, (line) => console.log(line));
    return 0;
  } finally {
    await app.close();
    await stopRuntime();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    if (error instanceof UsageError || error instanceof InvalidConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
