import { Body, Controller, Get, Param, ParseEnumPipe, ParseUUIDPipe, Post, Put, Query, Req, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { SESSION_DELIVERY_HEADER } from './browser-session.js';
import { SessionRegistry } from './session-registry.service.js';
import { ApiFailures, ApiSuccess } from '../shared/errors/api-error-responses.js';
import { PageOf, PageQueryDto, pageWindow, toPage } from '../shared/http/paging.js';
import { AccountLifecycleService } from './account-lifecycle.service.js';
import {
  AccountSecondFactorView,
  AccountView,
  CitizenIdView,
  DelegationView,
  IssuedActivationView,
  IssuedSignInCertificateView,
  RoleSignInPolicyView,
  SessionTokenView,
  toAccountView,
  toDelegationView,
  toRoleSignInPolicyView,
} from './dto/account.views.js';
import type { Actor } from './actor.js';
import { ControlPlaneRoute, CurrentActor, SecretBody } from './control-plane-action.decorator.js';
import { HolderIdentityDto } from './dto/accounts.dto.js';
import { ChangePasswordDto, DeactivateAccountDto, EnrolSignInCertificateDto, ReactivateAccountDto, SetAccountSecondFactorDto, SetRoleSecondFactorDto } from './dto/account-lifecycle.dto.js';
import { PasswordService } from './password.service.js';
import { AccountsService } from './accounts.service.js';
import { Role, ROLES } from './roles.js';
import { SecondFactors } from './second-factors.js';
import { Audited } from '../audit/http/audited.decorator.js';
import { accountStatusDetails } from '../audit/http/audit-details.js';

/** An account's life after its creation: identity, withdrawal, second factor, delegations, password. */
@ApiTags('Accounts')
@Controller('control/v1')
export class AccountLifecycleController {
  constructor(
    private readonly lifecycle: AccountLifecycleService,
    private readonly factors: SecondFactors,
    private readonly passwords: PasswordService,
    private readonly accounts: AccountsService,
    private readonly sessions: SessionRegistry,
  ) {}

  @Put('accounts/:id/identity')
  @ControlPlaneRoute('accounts.manage')
  @Audited({ target: 'account' })
  @SecretBody()
  @ApiOperation({ operationId: 'updateAccountIdentity', summary: "The holder's position, phone, e-mail, citizen ID (footnote 6); null clears a field. The history names the fields changed, not their values" })
  @ApiSuccess(200, AccountView)
  @ApiFailures(400, 404)
  async updateIdentity(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Body() body: HolderIdentityDto) {
    return toAccountView(await this.lifecycle.updateIdentity(id, body, actor));
  }

  @Get('accounts/:id/citizen-id')
  @ControlPlaneRoute('accounts.readPersonalData')
  @Audited({ target: 'account' })
  @ApiOperation({ operationId: 'readCitizenId', summary: 'The full citizen ID (personal data): system administrator and auditors only; every read is in the audit log and the account history' })
  @ApiSuccess(200, CitizenIdView)
  @ApiFailures(400, 404)
  readCitizenId(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string) {
    return this.lifecycle.readCitizenId(id, actor);
  }

  @Post('accounts/:id/deactivate')
  @ControlPlaneRoute('accounts.manage')
  @Audited({ target: 'account', details: accountStatusDetails })
  @ApiOperation({ operationId: 'deactivateAccount', summary: 'The holder left or changed post (III.2.b): sign-ins refused and sessions ended at once, delegations given or held ended; the record stays' })
  @ApiSuccess(200, AccountView)
  @ApiFailures(400, 404, [409, 'ACCOUNT_DEACTIVATED: already'])
  async deactivate(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Body() body: DeactivateAccountDto) {
    return toAccountView(await this.lifecycle.deactivate(id, actor, body.cause, body.reason));
  }

  @Post('accounts/:id/reactivate')
  @ControlPlaneRoute('accounts.manage')
  @Audited({ target: 'account', details: accountStatusDetails })
  @ApiOperation({ operationId: 'reactivateAccount', summary: "Give a deactivated account back (recorded): returns the administrator's part of a new activation code; the holder activates it again and enrols a new TOTP" })
  @ApiSuccess(200, IssuedActivationView)
  @ApiFailures(400, 404, [409, 'ACCOUNT_ACTIVE: not deactivated'])
  async reactivate(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Body() body: ReactivateAccountDto) {
    const { account, activation } = await this.lifecycle.reactivate(id, actor, body.reason, body.holderName);
    return { account: toAccountView(account), activation };
  }

  @Post('accounts/:id/sign-in-certificate')
  @ControlPlaneRoute('accounts.manage')
  @Audited({ target: 'account' })
  @ApiOperation({ operationId: 'issueSignInCertificate', summary: "Issue the holder's sign-in certificate (CLIENT_CERTIFICATE second factor) from a CSR they made, and register its thumbprint to the account" })
  @ApiSuccess(201, IssuedSignInCertificateView)
  @ApiFailures(400, 404, [409, 'ACCOUNT_DEACTIVATED: reactivate it first'])
  issueSignInCertificate(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Body() body: EnrolSignInCertificateDto) {
    return this.factors.enrolCertificate(id, body.csrPem, actor);
  }

  @Put('accounts/:id/second-factor')
  @ControlPlaneRoute('accounts.manage')
  @Audited({ target: 'account' })
  @ApiOperation({ operationId: 'setAccountSecondFactor', summary: "TOTP or CLIENT_CERTIFICATE for this account; null follows the role's policy" })
  @ApiSuccess(200, AccountSecondFactorView)
  @ApiFailures(400, 404, [409, 'NO_SIGN_IN_CERTIFICATE: issue one first'])
  setAccountSecondFactor(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Body() body: SetAccountSecondFactorDto) {
    return this.factors.setForAccount(id, body.secondFactor ?? null, actor);
  }

  @Get('sign-in-policies')
  @ControlPlaneRoute('accounts.manage')
  @Audited()
  @ApiOperation({ operationId: 'listSignInPolicies', summary: 'The second factor set per role (a role not listed: TOTP)' })
  @ApiSuccess(200, PageOf(RoleSignInPolicyView))
  @ApiFailures(400)
  async listPolicies(@Query() page: PageQueryDto) {
    const window = pageWindow(page);
    return toPage(await this.factors.listPolicies(window), window, toRoleSignInPolicyView);
  }

  @Put('sign-in-policies/:role')
  @ControlPlaneRoute('accounts.manage')
  @Audited()
  @ApiParam({ name: 'role', enum: ROLES })
  @ApiOperation({ operationId: 'setRoleSecondFactor', summary: 'The second factor of every account of a role that does not set its own (III.2.c: heads of units)' })
  @ApiSuccess(200, RoleSignInPolicyView)
  @ApiFailures(400, [409, 'NO_SIGN_IN_CERTIFICATE: accounts of the role without a certificate (listed)'])
  async setRolePolicy(@CurrentActor() actor: Actor, @Param('role', new ParseEnumPipe(Role)) role: Role, @Body() body: SetRoleSecondFactorDto) {
    return toRoleSignInPolicyView(await this.factors.setForRole(role, body.secondFactor, actor));
  }

  @Get('delegations')
  @ControlPlaneRoute('delegations.read')
  @Audited()
  @ApiOperation({ operationId: 'listDelegations', summary: 'Delegations you gave or hold (all, for a system administrator)' })
  @ApiSuccess(200, PageOf(DelegationView))
  @ApiFailures(400)
  async listDelegations(@CurrentActor() actor: Actor, @Query() page: PageQueryDto) {
    const window = pageWindow(page);
    const rows = await this.lifecycle.listDelegations(actor, window);
    const people = await this.accounts.delegationParties(rows);
    return toPage(rows, window, (d) => toDelegationView(d, people));
  }

  @Post('delegations/:id/revoke')
  @ControlPlaneRoute('delegations.revoke')
  @Audited({ target: 'delegation' })
  @ApiOperation({ operationId: 'revokeDelegation', summary: "End a delegation at once (its delegator or a system administrator): the assistant's next call no longer acts for the head" })
  @ApiSuccess(200, DelegationView)
  @ApiFailures(400, 404, [409, 'DELEGATION_ENDED: already revoked or expired'])
  async revokeDelegation(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string) {
    const delegation = await this.lifecycle.revokeDelegation(id, actor);
    return toDelegationView(delegation, await this.accounts.delegationParties([delegation]));
  }

  @Post('auth/password')
  @ControlPlaneRoute('password.changeOwn')
  @Audited()
  @SecretBody()
  @ApiOperation({ operationId: 'changePassword', summary: 'Set a new password (required once it has expired); returns a new session, the other sessions of the account end' })
  @ApiHeader({ name: SESSION_DELIVERY_HEADER, required: false, description: '`cookie`: as for sign-in (the console keeps its session in the HttpOnly cookie)' })
  @ApiSuccess(200, SessionTokenView)
  @ApiFailures([400, 'currentPassword wrong, or newPassword too short, too weak or used before (details name the field and why)'], [409, 'PASSWORD_CHANGED_MEANWHILE: sign in again'])
  async changePassword(@CurrentActor() actor: Actor, @Body() body: ChangePasswordDto, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    // Every earlier session ends with the change; the new one goes where the caller keeps sessions.
    return this.sessions.deliver(request, reply, await this.passwords.change(actor, body.currentPassword, body.newPassword));
  }
}
