import { DynamicModule, Global, Module } from '@nestjs/common';
import { GatewayConfig, loadGatewayConfig } from './gateway-config.js';

/** Makes the validated GatewayConfig injectable everywhere. */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: GatewayConfig = loadGatewayConfig()): DynamicModule {
    return {
      module: ConfigModule,
      providers: [{ provide: GatewayConfig, useValue: config }],
      exports: [GatewayConfig],
    };
  }
}
