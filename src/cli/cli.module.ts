import { DynamicModule, Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module.js';
import { ConnectionsModule } from '../connections/connections.module.js';
import { PkiModule } from '../pki/pki.module.js';
import { ConfigModule } from '../shared/config/config.module.js';
import type { GatewayConfig } from '../shared/config/gateway-config.js';
import { DatabaseModule } from '../shared/database/database.module.js';

/** What operator commands need: the database, accounts, connections and the CA. No listeners. */
@Module({})
export class CliModule {
  static forRoot(config: GatewayConfig): DynamicModule {
    return { module: CliModule, imports: [ConfigModule.forRoot(config), DatabaseModule, AccountsModule, ConnectionsModule, PkiModule] };
  }
}
