import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { COMMANDS, UsageError } from '../src/cli/commands.js';
import { GatewayHarness, taskResult } from './support/gateway-harness.js';
import { resetDatabase } from './support/test-database.js';

describe('operator CLI: connections:create', () => {
  let harness: GatewayHarness;
  beforeAll(async () => {
    await resetDatabase();
    harness = await GatewayHarness.start();
  });
  afterAll(() => harness.stop());

  it('registers a connection and writes client material that works against the gateway', async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-client-'));
    const lines: string[] = [];
    await COMMANDS['connections:create'].run(
      harness.operator,
      ['--name', 'He thong Bo Tai chinh', '--unit', 'Bộ Tài chính', '--env', 'test', '--read-unit', '*', '--direction', 'push,pull', '--out', out],
      (line) => lines.push(line),
    );
    expect(lines[0]).toMatch(/^connection [0-9a-f-]{36} \(TESTING, test\)$/);
    const client = { certPem: fs.readFileSync(path.join(out, 'client.crt.pem'), 'utf8'), keyPem: fs.readFileSync(path.join(out, 'client.key.pem'), 'utf8') };
    expect(fs.readFileSync(path.join(out, 'ca.crt.pem'), 'utf8')).toBe(harness.caPem);

    const token = await harness.call(client, 'post', '/api/v1/oauth/token').send({ grant_type: 'client_credentials' }).expect(200);
    await harness
      .call(client, 'put', '/api/v1/task-results/CLI-1')
      .set('Authorization', `Bearer ${token.body.access_token}`)
      .send(taskResult('CLI-1', 'Bộ Tài chính'))
      .expect(201);
  });

  it('issues from a CSR and refuses EC requests with a clear reason', async () => {
    await expect(
      COMMANDS['connections:create'].run(harness.operator, ['--name', 'x', '--unit', 'y', '--env', 'staging'], () => undefined),
    ).rejects.toThrow(UsageError);
    const csr = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'csr-')), 'ec.csr');
    fs.writeFileSync(csr, EC_CSR);
    await expect(
      COMMANDS['connections:create'].run(harness.operator, ['--name', 'ec', '--unit', 'Bộ Y tế', '--env', 'test', '--csr', csr], () => undefined),
    ).rejects.toThrow(/Only RSA certificate requests are supported/);
  });
});

// openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=ec
const EC_CSR = `-----BEGIN CERTIFICATE REQUEST-----
MIHIMG8CAQAwDTELMAkGA1UEAwwCZWMwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNC
AATHWi6bT6ZmdMlri0vcRoce8Y/57TU5kZ3fRNSrSWOUGjDRnDguxoQGKONuhcn3
CmALTLkd5My2KFRexxjjvttIoAAwCgYIKoZIzj0EAwIDSQAwRgIhAIAXsfvNpvd2
lcHgwqm4luPJGOGI137JBHIYBFeWAzuaAiEA3ksYKC/rAqk30dA0VLjgW4/vWH4O
Fl5uVrq6+KFJ5dk=
-----END CERTIFICATE REQUEST-----
`;
