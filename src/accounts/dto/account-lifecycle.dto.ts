import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length } from 'class-validator';
import { SECOND_FACTORS, SecondFactor } from '../roles.js';

export class DeactivateAccountDto {
  @ApiProperty({ enum: ['LEFT', 'CHANGED_POST'], description: 'The holder left, or changed post (III.2.b)' })
  @IsIn(['LEFT', 'CHANGED_POST'], { message: 'must be LEFT or CHANGED_POST' })
  cause: 'LEFT' | 'CHANGED_POST';
  @ApiProperty({ description: 'E.g. the decision that moved the person' }) @IsString() @Length(1, 1000) reason: string;
}

export class ReactivateAccountDto {
  @ApiProperty() @IsString() @Length(1, 1000) reason: string;
  @ApiPropertyOptional({ description: 'The person who will hold it, if not the previous holder (their identity is then cleared)' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  holderName?: string;
}

export class ChangePasswordDto {
  @ApiProperty() @IsString() @Length(1, 200) currentPassword: string;
  @ApiProperty({
    description: '12 to 200 characters, strong enough (zxcvbn score ≥ PASSWORD_MIN_STRENGTH: not a common or breached password, a keyboard pattern or your name), none of your last PASSWORD_HISTORY',
    minLength: 12,
    maxLength: 200,
  })
  @IsString()
  @Length(12, 200, { message: 'must be 12 to 200 characters long' })
  newPassword: string;
}

export class EnrolSignInCertificateDto {
  @ApiProperty({ description: 'A PEM PKCS#10 request (RSA key) the holder made; their private key stays with them' })
  @IsString()
  @Length(100, 20_000)
  csrPem: string;
}

export class SetAccountSecondFactorDto {
  @ApiProperty({ enum: SECOND_FACTORS, nullable: true, description: "null: follow the role's policy" })
  @IsOptional()
  @IsIn(SECOND_FACTORS, { message: `must be one of ${SECOND_FACTORS.join(', ')} or null` })
  secondFactor: SecondFactor | null;
}

export class SetRoleSecondFactorDto {
  @ApiProperty({ enum: SECOND_FACTORS }) @IsIn(SECOND_FACTORS, { message: `must be one of ${SECOND_FACTORS.join(', ')}` }) secondFactor: SecondFactor;
}
