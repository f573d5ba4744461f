import type { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { WorkingCalendarService } from '../calendar/working-calendar.service.js';
import { AuditService } from '../audit/chain/audit.service.js';
import { RedisConnection } from '../security/redis/redis-connection.js';
import { RequestDrain } from '../shared/http/request-drain.js';
import type { Plane } from './request-metrics.js';

/**
 * What the operations listener watches in each plane of this process: its database pool, its
 * audit writer, its drain state, and its Redis connection. Read from the planes' own Nest apps,
 * so that readiness reports on the very pools and writers that serve traffic.
 */
export interface WatchedPlane {
  name: Plane;
  db: DataSource;
  audit: AuditService;
  drain: RequestDrain;
  redis: RedisConnection | null;
  /** The working calendar the plane keeps current (incident clocks count working days). */
  calendars: WorkingCalendarService;
}

export const WATCHED_PLANES = Symbol('WatchedPlanes');

export function watchedPlanes(apps: Partial<Record<Plane, INestApplication>>): WatchedPlane[] {
  return (Object.entries(apps) as Array<[Plane, INestApplication | undefined]>)
    .filter((e): e is [Plane, INestApplication] => e[1] !== undefined)
    .map(([name, app]) => ({ name, db: app.get(DataSource), audit: app.get(AuditService), drain: app.get(RequestDrain), redis: optional(() => app.get(RedisConnection)), calendars: app.get(WorkingCalendarService) }));
}

function optional<T>(get: () => T): T | null {
  try {
    return get();
  } catch {
    return null; // this plane has no such provider
  }
}

/** The pg pool under a TypeORM DataSource (for its connection counts). */
export function poolOf(db: DataSource): { totalCount: number; idleCount: number; waitingCount: number; options?: { max?: number } } | null {
  const driver = db.driver as unknown as { master?: { totalCount: number; idleCount: number; waitingCount: number; options?: { max?: number } } };
  return driver.master ?? null;
}
