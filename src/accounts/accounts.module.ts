import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { TypeOrmModule } from '@nestjs/typeorm';
import { GatewayConfig } from '../shared/config/gateway-config.js';
import { signingKeyFor } from '../shared/config/signing-keys.js';
import { AccountEvent } from './account-event.entity.js';
import { Account } from './account.entity.js';
import { AccountsController, AuthController } from './accounts.controller.js';
import { AccountsService } from './accounts.service.js';
import { AuthenticationService } from './authentication.service.js';
import { ControlPlaneGuard } from './control-plane-action.decorator.js';
import { Delegation } from './delegation.entity.js';

/** People on the control plane: accounts, sign-in with TOTP, delegation, handover. */
@Module({
  imports: [
    TypeOrmModule.forFeature([Account, AccountEvent, Delegation]),
    JwtModule.registerAsync({
      inject: [GatewayConfig],
      useFactory: (config: GatewayConfig) => ({ secret: signingKeyFor(config, 'control-plane session'), signOptions: { algorithm: 'HS256', issuer: 'vn-data-sharing-gateway' } }),
    }),
  ],
  controllers: [AuthController, AccountsController],
  providers: [AccountsService, AuthenticationService, ControlPlaneGuard],
  exports: [AccountsService, AuthenticationService, ControlPlaneGuard],
})
export class AccountsModule {}
