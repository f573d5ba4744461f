import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDateString, IsIn, IsOptional, IsString, IsUUID, Length, Matches } from 'class-validator';
import { ROLES, Role } from '../roles.js';

export class SignInDto {
  @ApiProperty() @IsString() @Length(1, 100) username: string;
  @ApiProperty() @IsString() @Length(1, 200) password: string;
  @ApiPropertyOptional({ description: '6-digit TOTP code; required once the second factor is enrolled' })
  @IsOptional()
  @Matches(/^\d{6}$/, { message: 'must be 6 digits' })
  totpCode?: string;
}

export class CompleteEnrolmentDto {
  @ApiProperty() @IsString() enrolmentToken: string;
  @ApiProperty({ description: 'First code shown by the authenticator app' }) @Matches(/^\d{6}$/, { message: 'must be 6 digits' }) totpCode: string;
}

export class ActForDto {
  @ApiProperty({ format: 'uuid', description: 'The account that delegated to you' }) @IsUUID() delegatorId: string;
}

export class CreateAccountDto {
  @ApiProperty() @Matches(/^[a-z0-9._-]{3,100}$/, { message: 'must be 3-100 of a-z, 0-9, ".", "_", "-"' }) username: string;
  @ApiProperty({ enum: ROLES }) @IsIn(ROLES, { message: `must be one of ${ROLES.join(', ')}` }) role: Role;
  @ApiPropertyOptional({ description: 'The agency, for UNIT_ADMIN' }) @IsOptional() @IsString() @Length(1, 300) unit?: string;
  @ApiProperty({ description: 'The person who holds the account' }) @IsString() @Length(1, 200) holderName: string;
}

export class HandOverAccountDto {
  @ApiProperty({ description: 'The person taking the account over' }) @IsString() @Length(1, 200) newHolderName: string;
  @ApiProperty() @IsString() @Length(1, 1000) reason: string;
}

export class GrantDelegationDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() assistantId: string;
  @ApiProperty({ format: 'date-time' }) @IsDateString() expiresAt: string;
}
