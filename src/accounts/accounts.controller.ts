import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import { ApiExtraModels, ApiHeader, ApiOkResponse, ApiOperation, ApiResponse, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { ApiError, ApiErrorBody } from '../shared/errors/api-error.js';
import { ApiFailures, ApiNoContent, ApiSuccess } from '../shared/errors/api-error-responses.js';
import { PageOf, PageQueryDto, pageWindow, toPage } from '../shared/http/paging.js';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from './actor.js';
import { AccountsService } from './accounts.service.js';
import { AuthenticationService, EnrolmentChallenge, SessionToken } from './authentication.service.js';
import { clearSessionCookie, SESSION_DELIVERY_HEADER, sessionCredential } from './browser-session.js';
import { SessionRegistry } from './session-registry.service.js';
import { SignInThrottleGuard } from './sign-in-throttle.service.js';
import { ControlPlaneRoute, CurrentActor, PublicControlPlaneRoute, SecretBody } from './control-plane-action.decorator.js';
import { presentedCertificate } from './presented-certificate.js';
import { AccountEventView, AccountView, ActivationResultView, ActorView, DelegationView, EnrolmentChallengeView, IssuedActivationView, OpenSessionView, SessionTokenView, toAccountEventView, toAccountView, toActorView, toDelegationView, toOpenSessionView } from './dto/account.views.js';
import { ActivateAccountDto, ActForDto, CompleteEnrolmentDto, CreateAccountDto, GrantDelegationDto, HandOverAccountDto, LockAccountDto, ResetCredentialsDto, SignInDto, UnlockAccountDto } from './dto/accounts.dto.js';
import { Audited } from '../audit/http/audited.decorator.js';
import { createdId, delegationGrantDetails, delegatorDetails, handoverDetails, newAccountDetails } from '../audit/http/audit-details.js';

const view = toAccountView;

@ApiTags('Sign-in')
@Controller('control/v1/auth')
export class AuthController {
  constructor(
    private readonly authentication: AuthenticationService,
    private readonly sessions: SessionRegistry,
  ) {}

  @Post('sign-in')
  @PublicControlPlaneRoute()
  @Audited({ action: 'auth.signIn', actor: 'sign-in-username', presentedCertificate: true })
  @UseGuards(SignInThrottleGuard)
  @ApiResponse({ status: 401, description: 'INVALID_CREDENTIALS for every refusal (unknown user, wrong password or code, backing off); TOTP_CODE_REUSED', type: ApiErrorBody })
  @ApiResponse({ status: 429, description: 'Too many calls from this address (Retry-After)', type: ApiErrorBody })
  @ApiOperation({
    operationId: 'signIn',
    summary:
      'Password and the second factor: a TOTP code, or for an account set to CLIENT_CERTIFICATE its registered certificate presented on this TLS connection. The first TOTP sign-in returns an enrolment challenge instead; with an expired password the session may only change it (passwordChangeRequired)',
  })
  @HttpCode(200)
  @ApiHeader({ name: SESSION_DELIVERY_HEADER, required: false, description: '`cookie`: the console — the session is set as an HttpOnly cookie and not returned in the body' })
  @ApiExtraModels(SessionTokenView, EnrolmentChallengeView)
  @ApiOkResponse({ description: 'A session, or (first TOTP sign-in) the enrolment challenge', schema: { oneOf: [{ $ref: getSchemaPath(SessionTokenView) }, { $ref: getSchemaPath(EnrolmentChallengeView) }] } })
  @ApiFailures(400)
  async signIn(@Body() body: SignInDto, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.deliver(request, reply, await this.authentication.signIn(body.username, body.password, body.totpCode, request.ip, presentedCertificate(request)));
  }

  @Post('activation')
  @PublicControlPlaneRoute()
  @Audited({ action: 'auth.activateAccount' })
  @UseGuards(SignInThrottleGuard)
  @ApiOperation({
    operationId: 'activateAccount',
    summary: "The new holder takes up an account: both parts of the one-time code (the administrator's and the security officers') and a password of their own; then sign in to enrol the second factor",
  })
  @ApiSuccess(200, ActivationResultView)
  @ApiFailures(400, [401, 'INVALID_CREDENTIALS: unknown username, wrong or expired code'], 429)
  activate(@Body() body: ActivateAccountDto, @Req() request: FastifyRequest) {
    return this.authentication.activate(body.username, body.administratorPart, body.securityOfficerPart, body.newPassword, request.ip);
  }

  @Post('sign-out')
  @ControlPlaneRoute('sessions.own')
  @Audited()
  @ApiOperation({ operationId: 'signOut', summary: 'End this session now (other sessions of the account go on)' })
  @ApiNoContent('The session is ended')
  async signOut(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<void> {
    const token = sessionCredential(request)!.token;
    await this.authentication.signOut(token);
    const id = this.sessions.idOf(token);
    if (id) await this.sessions.ended(id);
    clearSessionCookie(reply);
  }

  @Get('sessions')
  @ControlPlaneRoute('sessions.own')
  @Audited()
  @ApiOperation({ operationId: 'listOwnSessions', summary: "Where I am signed in: my open sessions (the console's and scripts'), those I opened acting for a head, and an assistant's acting for me; newest first" })
  @ApiSuccess(200, PageOf(OpenSessionView))
  @ApiFailures(400)
  async ownSessions(@CurrentActor() actor: Actor, @Req() request: FastifyRequest, @Query() page: PageQueryDto) {
    const me = actor.assistant?.accountId ?? actor.accountId;
    const window = pageWindow(page);
    return toPage(await this.sessions.openFor(me, this.sessions.idOf(sessionCredential(request)!.token), window), window, toOpenSessionView);
  }

  @Delete('sessions/:id')
  @ControlPlaneRoute('sessions.own')
  @Audited({ target: 'session' })
  @ApiOperation({ operationId: 'endOwnSession', summary: 'End one of my open sessions now (one I do not recognise, a browser left signed in); ending this one signs out' })
  @ApiNoContent('The session is ended')
  @ApiFailures(400, [404, 'No open session of yours has this id'])
  async endOwnSession(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<void> {
    await this.sessions.end(actor.assistant?.accountId ?? actor.accountId, id);
    if (this.sessions.idOf(sessionCredential(request)!.token) === id) clearSessionCookie(reply);
  }

  @Post('mfa-enrolment')
  @PublicControlPlaneRoute()
  @Audited({ action: 'auth.completeMfaEnrolment', actor: 'enrolment-token' })
  @UseGuards(SignInThrottleGuard)
  @ApiOperation({ operationId: 'completeMfaEnrolment', summary: 'Confirm the second factor with a first code; opens a session' })
  @ApiHeader({ name: SESSION_DELIVERY_HEADER, required: false, description: '`cookie`: as for sign-in' })
  @ApiSuccess(200, SessionTokenView)
  @ApiFailures(400, [401, 'Enrolment token invalid or expired, or wrong code'], 429)
  async enrol(@Body() body: CompleteEnrolmentDto, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.deliver(request, reply, await this.authentication.completeEnrolment(body.enrolmentToken, body.totpCode));
  }

  /** A browser's session goes into the HttpOnly cookie (SessionRegistry.deliver); an enrolment challenge as it is. */
  private deliver<T extends SessionToken | EnrolmentChallenge>(request: FastifyRequest, reply: FastifyReply, result: T) {
    return 'expiresIn' in result ? this.sessions.deliver(request, reply, result) : result;
  }

  @Post('act-for')
  @ControlPlaneRoute('sessions.own')
  @Audited({ target: 'account', targetId: ({ body }) => body.delegatorId, details: delegatorDetails })
  @ApiOperation({ operationId: 'actFor', summary: "Open a session acting for a head who delegated to you (recorded as the head's acts, naming you)" })
  @ApiSuccess(200, SessionTokenView, 'A session acting for the delegator')
  @ApiFailures(400, [404, 'No delegation from that account to you in force'])
  @ApiHeader({ name: SESSION_DELIVERY_HEADER, required: false, description: '`cookie`: as for sign-in (the console acts for the head in its HttpOnly cookie)' })
  async actFor(@CurrentActor() actor: Actor, @Body() body: ActForDto, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.sessions.deliver(request, reply, await this.authentication.actFor(actor, body.delegatorId));
  }

  @Get('me')
  @ControlPlaneRoute('sessions.own')
  @Audited()
  @ApiOperation({ operationId: 'whoAmI', summary: 'The acting account (and the assistant under delegation)' })
  @ApiSuccess(200, ActorView)
  me(@CurrentActor() actor: Actor): ActorView {
    return toActorView(actor);
  }
}

@ApiTags('Accounts')
@Controller('control/v1')
export class AccountsController {
  constructor(private readonly accounts: AccountsService) {}

  @Post('accounts')
  @ControlPlaneRoute('accounts.manage')
  @Audited({ target: 'account', createdId: ({ account }) => (account as { id?: unknown } | undefined)?.id, details: newAccountDetails })
  @ApiOperation({
    operationId: 'createAccount',
    summary: "Create an account: returns the administrator's part of its one-time activation code; the other part goes to the security officers",
  })
  @ApiSuccess(201, IssuedActivationView)
  @ApiFailures(400, [409, 'USERNAME_TAKEN'])
  @SecretBody()
  async create(@CurrentActor() actor: Actor, @Body() body: CreateAccountDto) {
    const { account, activation } = await this.accounts.create(body, actor);
    return { account: view(account), activation };
  }

  @Get('accounts')
  @ControlPlaneRoute('accounts.manage')
  @Audited()
  @ApiOperation({ operationId: 'listAccounts' })
  @ApiSuccess(200, PageOf(AccountView))
  @ApiFailures(400)
  async list(@Query() page: PageQueryDto) {
    const window = pageWindow(page);
    return toPage(await this.accounts.list(window), window, view);
  }

  @Post('accounts/:id/handover')
  @ControlPlaneRoute('accounts.manage')
  @Audited({ target: 'account', details: handoverDetails })
  @ApiOperation({
    operationId: 'handOverAccount',
    summary: "Give the account to another person: old credentials and sessions revoked, recorded; returns the administrator's part of the new holder's activation code",
  })
  @ApiSuccess(200, IssuedActivationView)
  @ApiFailures(400, 404, [409, 'A deactivated account is reactivated, not handed over'])
  @SecretBody()
  async handOver(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Body() body: HandOverAccountDto) {
    const { newHolderName, reason, ...identity } = body;
    const { account, activation } = await this.accounts.handOver(id, newHolderName, actor, reason, identity);
    return { account: view(account), activation };
  }

  @Post('accounts/:id/credential-reset')
  @ControlPlaneRoute('accounts.manage')
  @Audited({ target: 'account' })
  @ApiOperation({
    operationId: 'resetAccountCredentials',
    summary: "The holder lost the password or the authenticator: password and TOTP reset, sessions ended, identity kept; returns the administrator's part of a new activation code (the other goes to the security officers)",
  })
  @ApiSuccess(200, IssuedActivationView)
  @ApiFailures([400, 'Invalid input, or your own account'], 404, [409, 'ACCOUNT_DEACTIVATED: reactivate it instead'])
  @SecretBody()
  async resetCredentials(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Body() body: ResetCredentialsDto) {
    const { account, activation } = await this.accounts.resetCredentials(id, actor, body.reason);
    return { account: view(account), activation };
  }

  @Post('accounts/:id/lock')
  @ControlPlaneRoute('accounts.lock')
  @Audited({ target: 'account' })
  @ApiOperation({ operationId: 'lockAccount', summary: 'Lock an account (e.g. suspected compromise): its open sessions end at once, sign-ins are refused' })
  @ApiSuccess(200, AccountView)
  @ApiFailures([400, 'Invalid input, a lock end in the past, or your own account'], 404)
  async lock(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Body() body: LockAccountDto) {
    return view(await this.accounts.lock(id, actor, body.reason, body.until ? new Date(body.until) : null));
  }

  @Post('accounts/:id/unlock')
  @ControlPlaneRoute('accounts.lock')
  @Audited({ target: 'account' })
  @ApiOperation({ operationId: 'unlockAccount', summary: 'End a lock early' })
  @ApiSuccess(200, AccountView)
  @ApiFailures(400, 404)
  async unlock(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Body() body: UnlockAccountDto) {
    return view(await this.accounts.unlock(id, actor, body.reason));
  }

  @Get('accounts/:id/history')
  @ControlPlaneRoute('accounts.manage')
  @Audited({ target: 'account' })
  @ApiOperation({ operationId: 'accountHistory', summary: 'Creation, handovers, lock-outs, enrolments, deactivation and reactivation, password changes, citizen-ID reads' })
  @ApiSuccess(200, PageOf(AccountEventView))
  @ApiFailures(400, 404)
  async history(@Param('id', ParseUUIDPipe) id: string, @Query() page: PageQueryDto) {
    const window = pageWindow(page);
    return toPage(await this.accounts.history(id, window), window, toAccountEventView);
  }

  @Post('delegations')
  @ControlPlaneRoute('delegations.grant')
  @Audited({ target: 'delegation', createdId, details: delegationGrantDetails })
  @ApiOperation({ operationId: 'grantDelegation', summary: 'Authorise an assistant to act for you until a date, at most DELEGATION_MAX_DAYS away (II.2.c); it ends by itself then' })
  @ApiSuccess(201, DelegationView)
  @ApiFailures(400, [403, 'DELEGATION_CHAIN, or your role may not delegate'], [404, 'No such active account'], [409, 'DELEGATION_ACTIVE: an unexpired delegation to this colleague exists; revoke it first'])
  async grant(@CurrentActor() actor: Actor, @Body() body: GrantDelegationDto) {
    if (body.assistantId !== undefined && body.assistantUsername !== undefined) {
      throw ApiError.badRequest('Name the assistant once', [{ field: 'assistantUsername', problem: 'give either assistantId or assistantUsername, not both' }]);
    }
    const delegation = await this.accounts.grantDelegation(actor, body, new Date(body.expiresAt));
    return toDelegationView(delegation, await this.accounts.delegationParties([delegation]));
  }
}
