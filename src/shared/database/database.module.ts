import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { TypeOrmJsonLogger } from './typeorm-json-logger.js';
import { GatewayConfig } from '../config/gateway-config.js';
import { dataSourceOptions } from './data-source.js';
import { migrationOptions } from './runtime-role.js';

/**
 * TypeORM over `pg`; applies the checked-in migrations at start-up, never `synchronize`: as the
 * owner role when DATABASE_MIGRATION_URL is set (runtime-role.ts), else as DATABASE_URL's role.
 */
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [GatewayConfig],
      useFactory: async (config: GatewayConfig) => ({
        ...dataSourceOptions(config.DATABASE_URL!, config.DATABASE_POOL_SIZE, config.DATABASE_CONNECT_TIMEOUT_MS),
        ...(await migrationOptions(config)),
        logging: ['error', 'warn', 'migration'],
        logger: new TypeOrmJsonLogger(['error', 'warn', 'migration']), // JSON lines, no query parameters
      }),
    }),
  ],
})
export class DatabaseModule {}
