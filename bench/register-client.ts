import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import fs from 'node:fs';
import { CliModule } from '../src/cli/cli.module.js';
import { ConnectionsService } from '../src/connections/connections.service.js';
import { generateRsaKeyPair } from '../src/pki/certificate-authority.js';
import { loadGatewayConfig } from '../src/shared/config/gateway-config.js';
import type { Tls } from './load.js';

export const UNIT = 'Đảng ủy Bộ Khoa học và Công nghệ';

/** Registers a connection ready for production traffic (as the CLI does), with its client certificate. */
export async function registerClient(env: Record<string, string>, name: string): Promise<Tls> {
  const config = loadGatewayConfig(env);
  const operator: INestApplicationContext = await NestFactory.createApplicationContext(CliModule.forRoot(config), { logger: false });
  try {
    const keys = generateRsaKeyPair();
    const { certificate } = await operator.get(ConnectionsService).createReady({
      name,
      ownerUnit: UNIT,
      environment: 'test',
      scope: { dataSets: ['task-results'], directions: ['push', 'pull'], writeUnits: [UNIT], readUnits: [UNIT] },
      certificateRequest: { publicKeyPem: keys.publicKeyPem, subject: { commonName: name, organization: UNIT } },
    });
    return { cert: certificate.certificatePem, key: keys.privateKeyPem, ca: fs.readFileSync(config.TLS_CA_CERT, 'utf8') };
  } finally {
    await operator.close();
  }
}
