import type { DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { ControlPlaneModule } from '../bootstrap/control-plane.module.js';
import { DataPlaneModule } from '../bootstrap/data-plane.module.js';
import { annotateAuthority } from '../data-exchange/authority/openapi-authority.js';
import { FlowStateDto } from '../data-exchange/task-flow/dto/flow.dto.js';
import { ApiErrorBody } from '../shared/errors/api-error.js';
import { documentValidationConstraints } from './validation-constraints.js';
import { labelEnums } from '../shared/i18n/enum-labels.vi.js';
import { GatewayConfig, loadGatewayConfig } from '../shared/config/gateway-config.js';

const DATA_PLANE = `Data plane of the data-sharing gateway (Guidance 11-HD/VPTW, Appendix II).

**Transport**: mutual TLS. Every call presents a client certificate issued by the gateway's CA to a
registered connection; handshakes without one, or with a revoked, expired or foreign one, fail.

**Tokens**: \`POST /api/v1/oauth/token\` (client_credentials) returns a JWT of at most 15 minutes,
bound to the presented certificate (RFC 8705 \`cnf.x5t#S256\`). Send it as \`Authorization: Bearer\`
on every other call, over the same certificate. A test certificate reaches only test data, a
production one only production data; the paths are the same.

**Errors** all have one shape (\`ApiErrorBody\`): \`statusCode\`, \`error\`, \`message\`, \`code\`,
\`details\` (\`{field, problem}\`), \`requestId\` (also in \`X-Request-Id\` and the audit log).

**Authority** (PRODUCT.md §3a): the agreement gives each connection a role per data set —
ASSIGNER, REPORTER or READER. Each record field says who owns it in \`x-owner\`; a write that
changes a field its caller does not own is 403 \`FIELD_NOT_OWNED\` with one \`details\` row per
field (in a batch: that item rejected). A REPORTER may leave the assigner's fields out of a write
(they are kept), cannot create a record that was not assigned (404 \`NOT_ASSIGNED\`) and cannot
revoke (403). An agreement without roles keeps the authority it had: ASSIGNER and REPORTER at once.`;

const CONTROL_PLANE = `Control plane of the data-sharing gateway: people with roles run the connection lifecycle of
Appendix II, part I (register → appraise → agreement → configuration and certificates → testing →
go-live → monitoring), served on its own port, never on the mTLS data plane.

**Sign-in**: a new or handed-over account is first taken up by its holder with both parts of its
one-time code and a password of their own (\`POST /control/v1/auth/activation\`); then password +
TOTP (\`POST /control/v1/auth/sign-in\`); the first sign-in returns an \`otpauth://\` URI to enrol,
confirmed with \`POST /control/v1/auth/mfa-enrolment\`. Sessions are short JWTs
(\`Authorization: Bearer\`), ended early with \`POST /control/v1/auth/sign-out\`. Deny by default: each route names one action, and only the
roles listed for it may take it. Errors have the data plane's shape.`;

const DOCUMENTS = {
  'data-plane': { module: DataPlaneModule, title: 'Data-sharing gateway — data plane', description: DATA_PLANE, server: 'https://127.0.0.1:8443' },
  'control-plane': { module: ControlPlaneModule, title: 'Data-sharing gateway — control plane', description: CONTROL_PLANE, server: 'https://127.0.0.1:8080' },
} as const;

export type PlaneName = keyof typeof DOCUMENTS;
export const PLANES = Object.keys(DOCUMENTS) as PlaneName[];

/**
 * Builds a plane's OpenAPI document from its controllers and DTOs, without a database or a
 * listener (Nest's preview mode resolves no providers).
 */
export async function buildOpenApiDocument(plane: PlaneName): Promise<OpenAPIObject> {
  const spec = DOCUMENTS[plane];
  const config = loadGatewayConfig({ DATABASE_URL: 'postgres://unused/openapi', TOKEN_SIGNING_SECRET: 'x'.repeat(32) });
  const root = (spec.module as { forRoot(c: GatewayConfig): DynamicModule }).forRoot(config);
  const app = await NestFactory.create(root, new FastifyAdapter(), { preview: true, logger: false });
  const builder = new DocumentBuilder()
    .setTitle(spec.title)
    .setDescription(spec.description)
    .setVersion('1.0')
    .addServer(spec.server, 'Local development')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'Certificate-bound access token (RFC 8705)' }, 'certificate-bound-token')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'Control-plane session (password + TOTP)' }, 'session')
    .build();
  const document = SwaggerModule.createDocument(app, builder, { extraModels: plane === 'data-plane' ? [ApiErrorBody, FlowStateDto] : [ApiErrorBody] });
  await app.close();
  // The data plane's document is the fixed contract's (CONTRACT.md): its constraints are stated by hand.
  if (plane === 'control-plane') documentValidationConstraints(document);
  return sortKeys(labelEnums(annotateAuthority(document))) as OpenAPIObject;
}

/** Stable output: the committed file changes only when the API does. */
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]));
  }
  return value;
}

export function openApiFile(plane: PlaneName): string {
  return `openapi/${plane}.openapi.json`;
}

export function serialise(document: OpenAPIObject): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}
