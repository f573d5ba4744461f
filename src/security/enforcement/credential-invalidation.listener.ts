import { Injectable, OnModuleInit } from '@nestjs/common';
import { CredentialStatusService } from '../../auth/credential-status.service.js';
import { SecurityEventsBus } from '../security-events.bus.js';

/**
 * On a suspension or restoration anywhere (this instance, or another one through Redis), forget
 * the cached credential statuses, so that the next call of that connection reads its new state:
 * a suspended connection's calls and tokens are refused at once on every instance.
 */
@Injectable()
export class CredentialInvalidationListener implements OnModuleInit {
  constructor(
    private readonly events: SecurityEventsBus,
    private readonly credentials: CredentialStatusService,
  ) {}

  onModuleInit(): void {
    this.events.subscribe(() => this.credentials.invalidate());
  }
}
