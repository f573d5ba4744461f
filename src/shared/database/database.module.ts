import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import pg from 'pg';
import { GatewayConfig } from '../config/gateway-config.js';
import { dataSourceOptions } from './data-source.js';

// DATE columns stay 'YYYY-MM-DD' strings: the default parser turns them into local-midnight Dates.
pg.types.setTypeParser(pg.types.builtins.DATE, (value: string) => value);

/** TypeORM over `pg`; applies the checked-in migrations at start-up, never `synchronize`. */
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [GatewayConfig],
      useFactory: (config: GatewayConfig) => ({
        ...dataSourceOptions(config.DATABASE_URL!, config.DATABASE_POOL_SIZE),
        migrationsRun: true,
        logging: ['error', 'warn', 'migration'],
      }),
    }),
  ],
})
export class DatabaseModule {}
