import type { INestApplicationContext } from '@nestjs/common';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { AccountsService } from '../accounts/accounts.service.js';
import { Role } from '../accounts/roles.js';
import { CLASSIFIED_CLEARANCES, type ClassifiedClearance, DATA_SET_ROLES, DATA_SETS, type DataSet, type DataSetRole, type Direction, DIRECTIONS } from '../connections/connection-scope.js';
import { ConnectionsService } from '../connections/connections.service.js';
import { ENVIRONMENTS, type Environment } from '../connections/environment.js';
import { generateRsaKeyPair } from '../pki/certificate-authority.js';
import { ClientCertificatesService } from '../pki/client-certificates.service.js';

export class UsageError extends Error {}

export interface Command {
  summary: string;
  usage: string;
  /** Runs as the owner role (DATABASE_MIGRATION_URL when set): it alters or grants on the schema. */
  owner?: boolean;
  run(app: INestApplicationContext, argv: string[], print: (line: string) => void): Promise<void>;
}

function oneOf<T extends string>(name: string, value: string | undefined, allowed: readonly T[]): T {
  if (!value || !allowed.includes(value as T)) throw new UsageError(`--${name} must be one of: ${allowed.join(', ')}`);
  return value as T;
}

function listOf<T extends string>(name: string, values: string[] | undefined, allowed: readonly T[], fallback: T[]): T[] {
  const list = (values ?? []).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
  if (list.length === 0) return fallback;
  for (const v of list) oneOf(name, v, allowed);
  return list as T[];
}

/** Writes the client's certificate (and key, when the gateway generated it) for the connected system. */
function writeClientMaterial(out: string, files: Record<string, string | undefined>): string[] {
  fs.mkdirSync(out, { recursive: true });
  const written: string[] = [];
  for (const [name, content] of Object.entries(files)) {
    if (content === undefined) continue;
    const file = path.join(out, name);
    fs.writeFileSync(file, content, { mode: name.includes('key') ? 0o600 : 0o644 });
    written.push(file);
  }
  return written;
}

/** `--role ASSIGNER` (every data set) or `--role task-results=REPORTER` (one), repeatable. */
function rolesOf(given: string[]): Partial<Record<DataSet, DataSetRole>> {
  const roles: Partial<Record<DataSet, DataSetRole>> = {};
  for (const entry of given) {
    const [first, second] = entry.split('=');
    const sets = second === undefined ? [...DATA_SETS] : [oneOf<DataSet>('role', first, DATA_SETS)];
    const role = oneOf<DataSetRole>('role', second ?? first, DATA_SET_ROLES);
    for (const set of sets) roles[set] = role;
  }
  return roles;
}

export const COMMANDS: Record<string, Command> = {
  'connections:create': {
    summary: 'Register a ready connection and issue its client certificate',
    usage: `--name NAME --unit OWNER_UNIT --env test|production
      [--write-unit UNIT]... [--read-unit UNIT|*]... [--data-set task-results,kpi-results] [--direction push,pull]
      [--classified-clearance NONE|CONFIDENTIAL|SECRET]
      [--role ASSIGNER|REPORTER|READER | --role DATA_SET=ROLE]...   (none: the authority of agreements before roles)
      [--csr request.pem | --out DIR]   (without --csr a dev key pair is generated into --out)`,
    async run(app, argv, print) {
      const { values } = parseArgs({
        args: argv,
        options: {
          name: { type: 'string' },
          unit: { type: 'string' },
          env: { type: 'string' },
          'write-unit': { type: 'string', multiple: true },
          'read-unit': { type: 'string', multiple: true },
          'data-set': { type: 'string', multiple: true },
          direction: { type: 'string', multiple: true },
          'classified-clearance': { type: 'string' },
          role: { type: 'string', multiple: true },
          csr: { type: 'string' },
          out: { type: 'string' },
        },
      });
      if (!values.name || !values.unit) throw new UsageError('--name and --unit are required');
      const environment = oneOf<Environment>('env', values.env, ENVIRONMENTS);
      if (environment === 'production' && process.env.NODE_ENV === 'production') {
        throw new UsageError('In production a connection goes live only through the lifecycle on the control plane (agreement, tests, go-live)');
      }
      const out = values.out ?? path.resolve('data/clients', values.name.replace(/[^\w.-]+/g, '_'));
      const dev = values.csr ? undefined : generateRsaKeyPair();
      const { connection, certificate } = await app.get(ConnectionsService).createReady({
        name: values.name,
        ownerUnit: values.unit,
        environment,
        scope: {
          dataSets: listOf<DataSet>('data-set', values['data-set'], DATA_SETS, [...DATA_SETS]),
          directions: listOf<Direction>('direction', values.direction, DIRECTIONS, [...DIRECTIONS]),
          writeUnits: values['write-unit'] ?? [values.unit],
          readUnits: values['read-unit'] ?? [values.unit],
          classifiedClearance: oneOf<ClassifiedClearance>('classified-clearance', values['classified-clearance'] ?? 'NONE', CLASSIFIED_CLEARANCES),
          ...(values.role ? { roles: rolesOf(values.role) } : {}),
        },
        certificateRequest: values.csr
          ? { csrPem: fs.readFileSync(values.csr, 'utf8') }
          : { publicKeyPem: dev!.publicKeyPem, subject: { commonName: values.name, organization: values.unit } },
      });
      const files = writeClientMaterial(out, {
        'client.crt.pem': certificate.certificatePem,
        'client.key.pem': dev?.privateKeyPem,
        'ca.crt.pem': app.get(ClientCertificatesService).caCertificatePem(),
      });
      print(`connection ${connection.id} (${connection.state}, ${environment})`);
      print(`scope      ${JSON.stringify(connection.scope)}`);
      print(`thumbprint ${certificate.thumbprintSha256}  valid until ${certificate.notAfter.toISOString()}`);
      for (const file of files) print(`wrote      ${file}`);
    },
  },

  'accounts:bootstrap-admin': {
    summary: 'Create the first system administrator of a fresh install',
    usage: '--username NAME --holder "Full name"',
    run: (app, argv, print) =>
      bootstrapAccount(app, argv, print, {
        role: Role.SYSTEM_ADMIN,
        title: 'system administrator',
        existsAlready: 'A system administrator exists already; further accounts are created on the control plane',
        // Any administrator, even a deactivated one: reactivating it is the control plane's business.
        blocks: () => true,
        secondFactor: [
          'second factor: sign in with POST /control/v1/auth/sign-in {username, password}; the answer carries an otpauth:// URI.',
          '  Add it to an authenticator app (or render it as a QR code), then confirm with',
          '  POST /control/v1/auth/mfa-enrolment {enrolmentToken, totpCode}. Every account enrols the same way.',
        ],
      }),
  },

  // Every account created on the control plane needs an officer's half of its activation code,
  // which only security officers read: the first officer is made here, as the first administrator is.
  'accounts:bootstrap-officer': {
    summary: 'Create the first security officer, while no active one exists (who else would read the officers\' half of an activation code?)',
    usage: '--username NAME --holder "Full name"',
    run: (app, argv, print) =>
      bootstrapAccount(app, argv, print, {
        role: Role.SECURITY_OFFICER,
        title: 'security officer',
        existsAlready: 'An active security officer exists already; further officers are created on the control plane and activated with their help',
        blocks: (account) => account.active,
        secondFactor: ['second factor: enrolled at the first sign-in, as for every account (accounts:bootstrap-admin says how).'],
      }),
  },

  'connections:list': {
    summary: 'List connections with their state and scope',
    usage: '',
    async run(app, _argv, print) {
      for (const c of await app.get(ConnectionsService).list()) {
        print(`${c.id}  ${c.state.padEnd(16)} ${c.name}  [${c.ownerUnit}]  ${JSON.stringify(c.scope)}`);
      }
    },
  },

  'certificates:list': {
    summary: "List a connection's certificates",
    usage: '--connection ID',
    async run(app, argv, print) {
      const { values } = parseArgs({ args: argv, options: { connection: { type: 'string' } } });
      if (!values.connection) throw new UsageError('--connection is required');
      for (const c of await app.get(ClientCertificatesService).listFor(values.connection)) {
        const state = c.revokedAt ? `REVOKED ${c.revokedAt.toISOString()} (${c.revocationReason})` : 'valid';
        print(`${c.id}  ${c.environment.padEnd(10)} until ${c.notAfter.toISOString()}  ${c.thumbprintSha256}  ${state}`);
      }
    },
  },

  'certificates:revoke': {
    summary: 'Revoke a client certificate at once',
    usage: '--id CERTIFICATE_ID --reason TEXT',
    async run(app, argv, print) {
      const { values } = parseArgs({ args: argv, options: { id: { type: 'string' }, reason: { type: 'string' } } });
      if (!values.id || !values.reason) throw new UsageError('--id and --reason are required');
      const revoked = await app.get(ClientCertificatesService).revoke(values.id, values.reason);
      print(revoked ? `revoked ${values.id}` : `no valid certificate ${values.id}`);
    },
  },
};



/**
 * The first account of a role that no one on the control plane could yet create and activate:
 * made on the server with a password shown once, and refused once an account of the role that
 * `blocks` exists.
 */
async function bootstrapAccount(
  app: INestApplicationContext,
  argv: string[],
  print: (line: string) => void,
  first: { role: Role; title: string; existsAlready: string; blocks: (account: { active: boolean }) => boolean; secondFactor: string[] },
): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { username: { type: 'string' }, holder: { type: 'string' } } });
  if (!values.username || !values.holder) throw new UsageError('--username and --holder are required');
  const accounts = app.get(AccountsService);
  if ((await accounts.list()).some((a) => a.role === first.role && first.blocks(a))) throw new UsageError(first.existsAlready);
  const { account, initialPassword } = await accounts.createWithPassword({ username: values.username, role: first.role, holderName: values.holder });
  print(`${first.title} ${account.username} (${account.id})`);
  print(`initial password: ${initialPassword}   (shown once)`);
  for (const line of first.secondFactor) print(line);
}
