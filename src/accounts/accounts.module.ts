import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CalendarModule } from '../calendar/calendar.module.js';
import { GatewayConfig } from '../shared/config/gateway-config.js';
import { signingKeyFor } from '../shared/config/signing-keys.js';
import { PkiModule } from '../pki/pki.module.js';
import { AccountEvent } from './account-event.entity.js';
import { AccountLifecycleController } from './account-lifecycle.controller.js';
import { AccountLifecycleService } from './account-lifecycle.service.js';
import { Account } from './account.entity.js';
import { AccountsController, AuthController } from './accounts.controller.js';
import { AccountsService } from './accounts.service.js';
import { AuthenticationService } from './authentication.service.js';
import { ControlPlaneGuard } from './control-plane-action.decorator.js';
import { Delegation } from './delegation.entity.js';
import { PasswordService } from './password.service.js';
import { RoleSignInPolicy } from './role-sign-in-policy.entity.js';
import { SecondFactors } from './second-factors.js';
import { EndedSession } from './sign-in-records.entity.js';
import { ControlSession } from './control-session.entity.js';
import { SessionRegistry } from './session-registry.service.js';
import { SignInThrottle, SignInThrottleGuard } from './sign-in-throttle.service.js';

/** People on the control plane: accounts and their holders, sign-in with TOTP or a certificate, password rotation, delegation, handover, deactivation. */
@Module({
  imports: [
    TypeOrmModule.forFeature([Account, AccountEvent, Delegation, EndedSession, ControlSession, RoleSignInPolicy]),
    PkiModule,
    CalendarModule,
    JwtModule.registerAsync({
      inject: [GatewayConfig],
      useFactory: (config: GatewayConfig) => ({ secret: signingKeyFor(config, 'control-plane session'), signOptions: { algorithm: 'HS256', issuer: 'vn-data-sharing-gateway' } }),
    }),
  ],
  controllers: [AuthController, AccountsController, AccountLifecycleController],
  providers: [AccountsService, AuthenticationService, ControlPlaneGuard, SignInThrottle, SignInThrottleGuard, AccountLifecycleService, PasswordService, SecondFactors, SessionRegistry],
  exports: [AccountsService, AuthenticationService, ControlPlaneGuard, SessionRegistry],
})
export class AccountsModule {}
