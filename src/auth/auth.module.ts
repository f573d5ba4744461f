import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { CalendarModule } from '../calendar/calendar.module.js';
import { GatewayConfig } from '../shared/config/gateway-config.js';
import { signingKeyFor } from '../shared/config/signing-keys.js';
import { CertificateBoundJwtStrategy } from './certificate-bound-jwt.strategy.js';
import { CertificateBoundTokenGuard } from './certificate-bound-token.guard.js';
import { CredentialStatusService } from './credential-status.service.js';
import { AgreedScopeGuard } from './data-plane-access.decorator.js';
import { OAuthTokenController } from './oauth-token.controller.js';
import { TokenService } from './token.service.js';

@Module({
  imports: [
    CalendarModule,
    PassportModule,
    JwtModule.registerAsync({
      inject: [GatewayConfig],
      useFactory: (config: GatewayConfig) => ({ secret: signingKeyFor(config, 'data-plane access token') }),
    }),
  ],
  controllers: [OAuthTokenController],
  providers: [CredentialStatusService, TokenService, CertificateBoundJwtStrategy, CertificateBoundTokenGuard, AgreedScopeGuard],
  exports: [CredentialStatusService, CertificateBoundJwtStrategy, CertificateBoundTokenGuard, AgreedScopeGuard],
})
export class AuthModule {}
