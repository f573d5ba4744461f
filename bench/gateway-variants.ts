/**
 * The gateway variants the benchmark compares, built from the production modules with Nest
 * provider overrides (bench-only: production code carries no benchmark switches). Each variant
 * leaves out one part, to show what that part costs.
 */
import { Test } from '@nestjs/testing';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';
import { type AuditRecord, AuditService } from '../src/audit/chain/audit.service.js';
import { configureDataPlaneApp, createDataPlaneApp, dataPlaneAdapter } from '../src/bootstrap/data-plane-app.js';
import { DataPlaneModule } from '../src/bootstrap/data-plane.module.js';
import { AnomalyDetectorService } from '../src/security/enforcement/anomaly-detector.service.js';
import { QuotaService, type QuotaVerdict } from '../src/security/enforcement/quota.service.js';
import { RequestScreeningService } from '../src/security/enforcement/request-screening.service.js';
import type { ApiError } from '../src/shared/errors/api-error.js';
import type { GatewayConfig } from '../src/shared/config/gateway-config.js';

export type GatewayVariant = 'everything on' | 'without the audit' | 'audit held, not written' | 'without quotas and detection' | 'without the page cache';

class UnrecordedAudit extends AuditService {
  override record(_record: AuditRecord): Promise<void> {
    return Promise.resolve();
  }
}
/**
 * Answers held in groups as the audit writer holds them, nothing built or written: a group
 * starts on the next turn of the event loop (as the writer's does, `AUDIT_FLUSH_DELAY_MS` 0), takes
 * what has queued, at most 500, and is answered together after 1 ms (a timer's least; an append
 * under load takes ~0.5–0.7 ms, so this holds a little longer). Against `without the audit` it
 * shows what holding answers in groups costs; against `everything on`, what the entries cost.
 */
class HeldAudit extends AuditService {
  private waiting: Array<() => void> = [];
  private holding = false;
  override record(_record: AuditRecord): Promise<void> {
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      if (!this.holding) this.holdNextGroup();
    });
  }
  private holdNextGroup(): void {
    this.holding = this.waiting.length > 0;
    if (!this.holding) return;
    setImmediate(() => {
      const group = this.waiting.splice(0, HELD_GROUP_MAX);
      setTimeout(() => {
        group.forEach((answer) => answer());
        this.holdNextGroup();
      }, HELD_APPEND_MS);
    });
  }
}
const HELD_APPEND_MS = 1;
const HELD_GROUP_MAX = 500;
class UncountedQuotas extends QuotaService {
  override consume(): Promise<QuotaVerdict | null> {
    return Promise.resolve(null);
  }
}
class UnscreenedRequests extends RequestScreeningService {
  override screenRequest(_request: FastifyRequest): Promise<ApiError | null> | null {
    return null;
  }
  override screenBody(_request: FastifyRequest): Promise<ApiError | null> {
    return Promise.resolve(null);
  }
}
class UnobservedCalls extends AnomalyDetectorService {
  override observe(): Promise<void> {
    return Promise.resolve();
  }
}
export async function createGatewayVariant(config: GatewayConfig, variant: GatewayVariant): Promise<NestFastifyApplication> {
  if (variant === 'everything on') return createDataPlaneApp(config);
  // Every page built afresh: the page cache sized 0 by configuration.
  if (variant === 'without the page cache') return createDataPlaneApp(Object.assign(Object.create(config), { PULL_PAGE_CACHE_MB: 0 }));
  let builder = Test.createTestingModule({ imports: [DataPlaneModule.forRoot(config)] });
  if (variant === 'audit held, not written') builder = builder.overrideProvider(AuditService).useClass(HeldAudit);
  if (variant === 'without the audit') builder = builder.overrideProvider(AuditService).useClass(UnrecordedAudit);
  if (variant === 'without quotas and detection') {
    builder = builder
      .overrideProvider(QuotaService)
      .useClass(UncountedQuotas)
      .overrideProvider(RequestScreeningService)
      .useClass(UnscreenedRequests)
      .overrideProvider(AnomalyDetectorService)
      .useClass(UnobservedCalls);
  }
  const moduleRef = await builder.compile();
  const app = moduleRef.createNestApplication<NestFastifyApplication>(dataPlaneAdapter(config), { logger: false });
  return configureDataPlaneApp(app, config);
}
