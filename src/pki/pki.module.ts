import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { GatewayConfig } from '../shared/config/gateway-config.js';
import { CertificateAuthority } from './certificate-authority.js';
import { ClientCertificateRecord } from './client-certificate.entity.js';
import { ClientCertificatesService } from './client-certificates.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([ClientCertificateRecord])],
  providers: [
    {
      provide: CertificateAuthority,
      inject: [GatewayConfig],
      useFactory: (config: GatewayConfig) => CertificateAuthority.fromFiles(config.TLS_CA_CERT, config.TLS_CA_KEY),
    },
    ClientCertificatesService,
  ],
  exports: [ClientCertificatesService, CertificateAuthority],
})
export class PkiModule {}
