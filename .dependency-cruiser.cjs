/**
 * Module boundaries, checked by `npm run lint:deps` (part of `npm test`). Each feature folder
 * owns its files; other folders use only what it offers on purpose (its Nest modules and the few
 * files listed as public below). The composition roots (src/bootstrap, src/cli, src/main.ts)
 * wire everything and may import anything. Entities are registered in one place,
 * src/shared/database/entities.ts.
 */
const FEATURES = '(accounts|audit|auth|calendar|cli|connections|console|data-exchange|documents|notifications|operations|pki|reports|security|units|bootstrap|openapi)';
const COMPOSITION_ROOTS = ['^src/(bootstrap|cli)/', '^src/(main|cli)\\.ts$'];
const ENTITY_REGISTRY = '^src/shared/database/entities\\.ts$';
const MIGRATIONS = '^src/shared/database/migrations/';

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A cycle (type-only imports included) means two files own one fact: move the shared part to where it belongs.',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'no-tests-in-production',
      severity: 'error',
      comment: 'Production code never imports tests, test support or the bench.',
      from: { path: '^src/', pathNot: '\\.spec\\.ts$' },
      to: { path: '^(test|bench)/' },
    },
    {
      name: 'shared-is-plumbing',
      severity: 'error',
      comment: 'src/shared holds cross-cutting plumbing (config, database, errors, HTTP); it knows no feature, except the entity and migration registries.',
      from: {
        path: '^src/shared/',
        pathNot: [
          ENTITY_REGISTRY,
          '^src/shared/database/migrations/',
          // The registry of every vocabulary's Vietnamese labels (each feature's enums, one place).
          '^src/shared/i18n/enum-labels\\.vi\\.ts$',
          // Types only: the fields the planes' hooks and guards put on a Fastify request.
          '^src/shared/http/fastify-request\\.d\\.ts$',
          '\\.spec\\.ts$',
        ],
      },
      to: { path: `^src/${FEATURES}/` },
    },
    {
      name: 'data-exchange-not-into-security',
      severity: 'error',
      comment: 'The data exchange declares which fields are screened (screening-policy.ts) and receives the batch items the screen refused (screened-items.ts); enforcement itself is wired around it by the data plane, never called from it.',
      from: { path: '^src/data-exchange/' },
      to: { path: '^src/security/', pathNot: '^src/security/enforcement/(screening-policy|screened-items)\\.ts$' },
    },
    {
      name: 'audit-internals-are-private',
      severity: 'error',
      comment: 'Outside src/audit, use AuditModule / AuditControlPlaneModule, AuditService and @Audited; chain, checkpoints, archive and hooks are the audit folder\'s own.',
      from: { path: '^src/', pathNot: ['^src/audit/', ENTITY_REGISTRY, MIGRATIONS, ...COMPOSITION_ROOTS] },
      // @Audited and its detail builders are declared on every control-plane route (audit/http/audited.decorator.ts).
      to: { path: '^src/audit/', pathNot: ['^src/audit/(audit|audit-control-plane)\\.module\\.ts$', '^src/audit/chain/audit\\.service\\.ts$', '^src/audit/http/(audited\\.decorator|audit-details)\\.ts$'] },
    },
    {
      name: 'security-internals-are-private',
      severity: 'error',
      comment: 'Outside src/security, use its Nest modules and the files it offers on purpose (listed here); anything else is its own.',
      from: { path: '^src/', pathNot: ['^src/security/', ENTITY_REGISTRY, ...COMPOSITION_ROOTS] },
      to: {
        path: '^src/security/',
        pathNot: [
          '^src/security/(security|data-plane-security)\\.module\\.ts$',
          '^src/security/control-plane/security-control-plane\\.module\\.ts$',
          '^src/security/enforcement/(screening-policy|screened-items|source-address|quota\\.guard)\\.ts$',
          '^src/security/alerts/alert-outbox\\.ts$',
          '^src/security/incidents/(incident-deadlines|incident\\.entity)\\.ts$',
          '^src/security/suspension/connection-suspension\\.service\\.ts$',
          '^src/security/redis/redis-connection\\.ts$',
        ],
      },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
