import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { DataPlaneModule } from '../bootstrap/data-plane.module.js';
import { ApiErrorBody } from '../shared/errors/api-error.js';
import { loadGatewayConfig } from '../shared/config/gateway-config.js';

const DESCRIPTION = `Data plane of the data-sharing gateway (Guidance 11-HD/VPTW, Appendix II).

**Transport**: mutual TLS. Every call presents a client certificate issued by the gateway's CA to a
registered connection; handshakes without one, or with a revoked, expired or foreign one, fail.

**Tokens**: \`POST /api/v1/oauth/token\` (client_credentials) returns a JWT of at most 15 minutes,
bound to the presented certificate (RFC 8705 \`cnf.x5t#S256\`). Send it as \`Authorization: Bearer\`
on every other call, over the same certificate. A test certificate reaches only test data, a
production one only production data; the paths are the same.

**Errors** all have one shape (\`ApiErrorBody\`): \`statusCode\`, \`error\`, \`message\`, \`code\`,
\`details\` (\`{field, problem}\`), \`requestId\` (also in \`X-Request-Id\` and the audit log).`;

/**
 * Builds the OpenAPI document from the controllers and DTOs, without a database or a listener
 * (Nest's preview mode resolves no providers).
 */
export async function buildOpenApiDocument(): Promise<OpenAPIObject> {
  const config = loadGatewayConfig({ DATABASE_URL: 'postgres://unused/openapi', TOKEN_SIGNING_SECRET: 'x'.repeat(32) });
  const app = await NestFactory.create(DataPlaneModule.forRoot(config), new FastifyAdapter(), { preview: true, logger: false });
  const builder = new DocumentBuilder()
    .setTitle('Data-sharing gateway — data plane')
    .setDescription(DESCRIPTION)
    .setVersion('1.0')
    .addServer('https://127.0.0.1:8443', 'Local development (mTLS)')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'Certificate-bound access token (RFC 8705)' }, 'certificate-bound-token')
    .build();
  const document = SwaggerModule.createDocument(app, builder, { extraModels: [ApiErrorBody] });
  await app.close();
  return sortKeys(document) as OpenAPIObject;
}

/** Stable output: the committed file changes only when the API does. */
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]));
  }
  return value;
}

export const OPENAPI_FILE = 'openapi/data-plane.openapi.json';

export function serialise(document: OpenAPIObject): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}
