import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDateString, IsEmail, IsIn, IsOptional, IsString, IsUUID, Length, Matches, ValidateIf } from 'class-validator';
import { ROLES, Role } from '../roles.js';

export class SignInDto {
  @ApiProperty() @IsString() @Length(1, 100) username: string;
  @ApiProperty() @IsString() @Length(1, 200) password: string;
  @ApiPropertyOptional({ description: '6-digit TOTP code; required once the second factor is enrolled' })
  @IsOptional()
  @Matches(/^\d{6}$/, { message: 'must be 6 digits' })
  totpCode?: string;
}

export class ActivateAccountDto {
  @ApiProperty() @IsString() @Length(1, 100) username: string;
  @ApiProperty({ description: "The part the administrator gave you (returned by the creation or handover)", example: 'K7QD-2M9X-TR4B-ZW8H' })
  @Matches(/^[0-9A-Za-z -]{16,32}$/, { message: 'must be the 16-character code, e.g. K7QD-2M9X-TR4B-ZW8H' })
  administratorPart: string;
  @ApiProperty({ description: 'The part a security officer gave you', example: 'P3VN-8CJE-5HYA-QG6R' })
  @Matches(/^[0-9A-Za-z -]{16,32}$/, { message: 'must be the 16-character code, e.g. P3VN-8CJE-5HYA-QG6R' })
  securityOfficerPart: string;
  @ApiProperty({ description: 'Your own password, 12 to 200 characters; nobody else sees it', minLength: 12, maxLength: 200 })
  @IsString()
  @Length(12, 200, { message: 'must be 12 to 200 characters long' })
  newPassword: string;
}

export class CompleteEnrolmentDto {
  @ApiProperty() @IsString() enrolmentToken: string;
  @ApiProperty({ description: 'First code shown by the authenticator app' }) @Matches(/^\d{6}$/, { message: 'must be 6 digits' }) totpCode: string;
}

export class ActForDto {
  @ApiProperty({ format: 'uuid', description: 'The account that delegated to you' }) @IsUUID() delegatorId: string;
}

/** Footnote 6: who holds the account. Optional, each; the citizen ID is stored encrypted and shown masked. */
export class HolderIdentityDto {
  @ApiPropertyOptional({ type: String, description: 'Chức vụ: the holder\'s position', example: 'Phó Vụ trưởng', nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  position?: string | null;
  @ApiPropertyOptional({ type: String, description: 'Phone number', example: '+84 24 3823 1234', nullable: true })
  @IsOptional()
  @Matches(/^\+?[0-9][0-9 .()-]{6,28}$/, { message: 'must be a phone number (digits, spaces, . ( ) -, optional leading +)' })
  phone?: string | null;
  @ApiPropertyOptional({ type: String, description: 'Work e-mail', example: 'nguyen.van.a@moha.gov.vn', nullable: true })
  @IsOptional()
  @IsEmail({}, { message: 'must be an e-mail address' })
  @Length(3, 200)
  email?: string | null;
  @ApiPropertyOptional({
    type: String,
    description: 'Số căn cước công dân: 12 digits. Personal data: stored encrypted, returned masked (citizenIdMasked), read in full only by SYSTEM_ADMIN and AUDITOR through GET /accounts/{id}/citizen-id (audited)',
    example: '001099001289',
    nullable: true,
  })
  @IsOptional()
  @Matches(/^\d{12}$/, { message: 'must be the 12 digits of the citizen ID number' })
  citizenId?: string | null;
}

export class CreateAccountDto extends HolderIdentityDto {
  @ApiProperty() @Matches(/^[a-z0-9._-]{3,100}$/, { message: 'must be 3-100 of a-z, 0-9, ".", "_", "-"' }) username: string;
  @ApiProperty({ enum: ROLES }) @IsIn(ROLES, { message: `must be one of ${ROLES.join(', ')}` }) role: Role;
  @ApiPropertyOptional({ description: 'The agency, for UNIT_ADMIN' }) @IsOptional() @IsString() @Length(1, 300) unit?: string;
  @ApiProperty({ description: 'The person who holds the account' }) @IsString() @Length(1, 200) holderName: string;
}

export class HandOverAccountDto extends HolderIdentityDto {
  @ApiProperty({ description: 'The person taking the account over (their identity replaces the previous holder\'s)' }) @IsString() @Length(1, 200) newHolderName: string;
  @ApiProperty() @IsString() @Length(1, 1000) reason: string;
}

export class LockAccountDto {
  @ApiProperty({ description: 'Why (recorded in the history and sent to the security officers)' }) @IsString() @Length(1, 1000) reason: string;
  @ApiPropertyOptional({ format: 'date-time', description: 'When the lock ends by itself; absent: until unlocked or handed over' })
  @IsOptional()
  @IsDateString()
  until?: string;
}

export class UnlockAccountDto {
  @ApiProperty() @IsString() @Length(1, 1000) reason: string;
}

export class GrantDelegationDto {
  @ApiPropertyOptional({ format: 'uuid', description: "The assistant's account id; or give assistantUsername" })
  @ValidateIf((o: GrantDelegationDto) => o.assistantUsername === undefined)
  @IsUUID('all', { message: 'must be an account id (UUID), or give assistantUsername instead' })
  assistantId?: string;
  @ApiPropertyOptional({ description: "The assistant's username, instead of assistantId (a head who is no administrator cannot list accounts)", maxLength: 100 })
  @ValidateIf((o: GrantDelegationDto) => o.assistantId === undefined)
  @IsString({ message: 'must be a username, or give assistantId instead' })
  @Length(1, 100)
  assistantUsername?: string;
  @ApiProperty({ format: 'date-time', description: 'Required: when the delegation ends by itself, at most DELEGATION_MAX_DAYS (90) away' }) @IsDateString() expiresAt: string;
}

export class ResetCredentialsDto {
  @ApiProperty({ description: 'Why (e.g. the holder lost the phone with the authenticator); recorded in the history' }) @IsString() @Length(1, 1000) reason: string;
}
