import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { BackgroundLoop } from '../shared/runtime/background-loop.js';
import { Unit } from './unit.entity.js';
import { UnitRegister } from './unit-register.js';

/** How often an instance re-reads the register, so that another instance's edit reaches it. */
const REFRESH_MS = 60_000;

/** A digest of everything the in-memory register is built from: equal digests, equal registers. */
const VERSION_SQL = `SELECT coalesce(md5(string_agg(concat_ws('|', code, name, short_name, kind, parent_code, successor_code, valid_from, valid_to,
                            array_to_string(former_names, '|')), E'\\n' ORDER BY code)), '') AS version FROM units`;

/**
 * The unit register as the database says it now, held in memory (unit-register.ts): loaded at
 * start-up, re-read every minute and at once after an edit on this instance. `register()` is
 * synchronous, so the data plane resolves names and checks scopes without a query.
 *
 * An edit on another instance (the DTD works on the control plane) reaches this one within a
 * minute, or sooner: a push or pull that names a unit this copy does not know, or falls outside a
 * scope as this copy computes it, asks whether the register changed (one small query, shared by
 * the misses waiting at that moment) and, if it did, is judged again against the new one.
 */
@Injectable()
export class UnitRegisterService implements OnModuleInit, OnModuleDestroy {
  private current = new UnitRegister([]);
  private version = '';
  private checking: Promise<boolean> | null = null;
  private readonly logger = new Logger(UnitRegisterService.name);
  private readonly loop = new BackgroundLoop('Unit register refresh', this.logger, () => this.reload());

  constructor(private readonly db: DataSource) {}

  async onModuleInit(): Promise<void> {
    await this.reload();
    this.loop.start(REFRESH_MS);
  }

  async onModuleDestroy(): Promise<void> {
    await this.loop.stop();
  }

  register(): UnitRegister {
    return this.current;
  }

  async reload(): Promise<void> {
    await this.db.transaction('REPEATABLE READ', async (manager) => {
      const [{ version }] = await manager.query(VERSION_SQL);
      const units = await manager.find(Unit);
      this.current = new UnitRegister(units);
      this.version = version;
    });
  }

  /**
   * After a miss: re-reads the register if it changed since this copy was read; true when it did
   * (the caller then judges once more). Concurrent misses share one check.
   */
  refreshOnMiss(): Promise<boolean> {
    this.checking ??= (async () => {
      const [{ version }] = await this.db.query(VERSION_SQL);
      if (version === this.version) return false;
      await this.reload();
      return true;
    })()
      .catch((error: Error) => {
        // The copy in hand stays in use; the caller judges with it (the periodic refresh tries again).
        this.logger.warn(`Unit register not re-read after a miss: ${error.message}`);
        return false;
      })
      .finally(() => (this.checking = null));
    return this.checking;
  }
}
