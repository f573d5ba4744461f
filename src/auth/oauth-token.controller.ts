import { Body, Controller, Header, HttpCode, Post, Req } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiResponse, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID } from 'class-validator';
import type { FastifyRequest } from 'fastify';
import { ApiError, ApiErrorBody } from '../shared/errors/api-error.js';
import { clientCertificateOf } from './client-certificate.js';
import { assertUsable } from './credential-checks.js';
import { CredentialStatusService } from './credential-status.service.js';
import { IssuedToken, TokenService } from './token.service.js';

export class TokenRequestDto {
  @ApiProperty({ enum: ['client_credentials'] })
  @IsIn(['client_credentials'], { message: 'must be client_credentials' })
  grant_type: string;

  @ApiPropertyOptional({ description: 'RFC 8705 tls_client_auth: when sent, must be the connection id' })
  @IsOptional()
  @IsUUID()
  client_id?: string;

  @ApiPropertyOptional({ description: 'Ignored: a token always carries the scope of the connection agreement' })
  @IsOptional()
  @IsString()
  scope?: string;
}

export class TokenResponseDto implements IssuedToken {
  @ApiProperty() access_token: string;
  @ApiProperty({ enum: ['Bearer'] }) token_type: 'Bearer';
  @ApiProperty({ description: 'Seconds; at most 900' }) expires_in: number;
  @ApiProperty({ example: 'task-results:write task-results:read' }) scope: string;
}

@ApiTags('OAuth')
@Controller('api/v1/oauth')
export class OAuthTokenController {
  constructor(
    private readonly tokens: TokenService,
    private readonly credentials: CredentialStatusService,
  ) {}

  @Post('token')
  @HttpCode(200)
  // RFC 6749 §5.1: a response carrying a token must not be stored by any cache.
  @Header('Cache-Control', 'no-store')
  @Header('Pragma', 'no-cache')
  @ApiOperation({
    operationId: 'issueAccessToken',
    summary: 'Issue a short-lived access token bound to the presented client certificate (RFC 8705)',
  })
  @ApiConsumes('application/x-www-form-urlencoded', 'application/json')
  @ApiBody({ type: TokenRequestDto })
  @ApiOkResponse({ type: TokenResponseDto })
  @ApiResponse({ status: 401, description: 'Certificate unknown, revoked or expired', type: ApiErrorBody })
  @ApiResponse({ status: 403, description: 'Connection suspended or not active for this environment', type: ApiErrorBody })
  async issue(@Req() request: FastifyRequest, @Body() body: TokenRequestDto): Promise<TokenResponseDto> {
    const certificate = clientCertificateOf(request);
    if (!certificate) throw ApiError.unauthorized('CERTIFICATE_REQUIRED', 'A client certificate is required');
    const status = await this.credentials.byThumbprint(certificate.thumbprintSha256);
    assertUsable(status);
    if (body.client_id && body.client_id !== status.connectionId) {
      throw ApiError.unauthorized('CLIENT_ID_MISMATCH', 'client_id does not match the connection of the certificate');
    }
    request.principal = {
      connectionId: status.connectionId,
      environment: status.environment,
      certificateThumbprint: certificate.thumbprintSha256,
      scope: status.scope,
    };
    return this.tokens.issue(certificate, status);
  }
}
