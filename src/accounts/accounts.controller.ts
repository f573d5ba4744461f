import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Req } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import type { Actor } from './actor.js';
import { AccountsService } from './accounts.service.js';
import { AuthenticationService } from './authentication.service.js';
import { ControlPlaneRoute, CurrentActor, PublicControlPlaneRoute } from './control-plane-action.decorator.js';
import { ActForDto, CompleteEnrolmentDto, CreateAccountDto, GrantDelegationDto, HandOverAccountDto, SignInDto } from './dto/accounts.dto.js';

const view = (a: { id: string; username: string; role: string; unit: string | null; holderName: string; totpEnrolled: boolean; active: boolean }) => ({
  id: a.id,
  username: a.username,
  role: a.role,
  unit: a.unit,
  holderName: a.holderName,
  totpEnrolled: a.totpEnrolled,
  active: a.active,
});

@ApiTags('Sign-in')
@Controller('control/v1/auth')
export class AuthController {
  constructor(private readonly authentication: AuthenticationService) {}

  @Post('sign-in')
  @HttpCode(200)
  @PublicControlPlaneRoute()
  @ApiOperation({ operationId: 'signIn', summary: 'Password and TOTP code; the first sign-in returns a TOTP enrolment challenge instead' })
  signIn(@Body() body: SignInDto, @Req() request: FastifyRequest) {
    return this.authentication.signIn(body.username, body.password, body.totpCode, request.ip);
  }

  @Post('mfa-enrolment')
  @HttpCode(200)
  @PublicControlPlaneRoute()
  @ApiOperation({ operationId: 'completeMfaEnrolment', summary: 'Confirm the second factor with a first code; opens a session' })
  enrol(@Body() body: CompleteEnrolmentDto) {
    return this.authentication.completeEnrolment(body.enrolmentToken, body.totpCode);
  }

  @Post('act-for')
  @HttpCode(200)
  @ControlPlaneRoute('sessions.own')
  @ApiOperation({ operationId: 'actFor', summary: "Open a session acting for a head who delegated to you (recorded as the head's acts, naming you)" })
  actFor(@CurrentActor() actor: Actor, @Body() body: ActForDto) {
    return this.authentication.actFor(actor, body.delegatorId);
  }

  @Get('me')
  @ControlPlaneRoute('sessions.own')
  @ApiOperation({ operationId: 'whoAmI', summary: 'The acting account (and the assistant under delegation)' })
  me(@CurrentActor() actor: Actor) {
    return actor;
  }
}

@ApiTags('Accounts')
@Controller('control/v1')
export class AccountsController {
  constructor(private readonly accounts: AccountsService) {}

  @Post('accounts')
  @ControlPlaneRoute('accounts.manage')
  @ApiOperation({ operationId: 'createAccount', summary: 'Create an account; the initial password is shown once' })
  async create(@CurrentActor() actor: Actor, @Body() body: CreateAccountDto) {
    const { account, initialPassword } = await this.accounts.create(body, actor.accountId);
    return { account: view(account), initialPassword };
  }

  @Get('accounts')
  @ControlPlaneRoute('accounts.manage')
  @ApiOperation({ operationId: 'listAccounts' })
  async list() {
    return (await this.accounts.list()).map(view);
  }

  @Post('accounts/:id/handover')
  @HttpCode(200)
  @ControlPlaneRoute('accounts.manage')
  @ApiOperation({ operationId: 'handOverAccount', summary: 'Give the account to another person: old credentials and sessions revoked, recorded' })
  async handOver(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Body() body: HandOverAccountDto) {
    const { account, initialPassword } = await this.accounts.handOver(id, body.newHolderName, actor, body.reason);
    return { account: view(account), initialPassword };
  }

  @Get('accounts/:id/history')
  @ControlPlaneRoute('accounts.manage')
  @ApiOperation({ operationId: 'accountHistory', summary: 'Creation, handovers, lock-outs, enrolments' })
  history(@Param('id', ParseUUIDPipe) id: string) {
    return this.accounts.history(id);
  }

  @Post('delegations')
  @ControlPlaneRoute('delegations.grant')
  @ApiOperation({ operationId: 'grantDelegation', summary: 'Authorise an assistant to act for you until a date (II.2.c)' })
  grant(@CurrentActor() actor: Actor, @Body() body: GrantDelegationDto) {
    return this.accounts.grantDelegation(actor, body.assistantId, new Date(body.expiresAt));
  }
}
