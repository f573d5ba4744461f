import type { OpenSession } from '../session-registry.service.js';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { AccountEvent } from '../account-event.entity.js';
import type { Account } from '../account.entity.js';
import type { Actor } from '../actor.js';
import type { Delegation } from '../delegation.entity.js';
import type { RoleSignInPolicy } from '../role-sign-in-policy.entity.js';
import { ROLES, SECOND_FACTORS } from '../roles.js';

/**
 * What the control plane answers about accounts and sessions. Mapped field by field: the password
 * hash, the TOTP secret, the activation hash and the credentials version never leave the server.
 */

class SignInCertificateView {
  @ApiProperty({ pattern: '^[0-9a-f]{64}$', description: 'SHA-256 of the registered sign-in certificate' }) thumbprint: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) notAfter: Date | null;
}

/** The citizen ID only masked (`0010******89`): the full number is read through GET /accounts/{id}/citizen-id alone, which is audited. */
export class AccountView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() username: string;
  @ApiProperty({ enum: ROLES }) role: string;
  @ApiProperty({ type: String, nullable: true, description: 'The agency of a UNIT_ADMIN' }) unit: string | null;
  @ApiProperty({ description: 'The person holding the account' }) holderName: string;
  @ApiProperty({ type: String, nullable: true, description: "The holder's position" }) position: string | null;
  @ApiProperty({ type: String, nullable: true }) phone: string | null;
  @ApiProperty({ type: String, nullable: true }) email: string | null;
  @ApiProperty({ type: String, nullable: true, example: '0010******89', description: 'The citizen ID, masked' }) citizenIdMasked: string | null;
  @ApiProperty({ description: 'The TOTP second factor is enrolled' }) totpEnrolled: boolean;
  @ApiProperty({ enum: SECOND_FACTORS, nullable: true, description: "The account's own second factor; null follows its role's policy" }) secondFactor: string | null;
  @ApiProperty({ type: SignInCertificateView, nullable: true, description: 'The registered sign-in certificate (CLIENT_CERTIFICATE second factor)' }) signInCertificate: SignInCertificateView | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) passwordChangedAt: Date | null;
  @ApiProperty({ description: 'False once deactivated (the holder left or changed post)' }) active: boolean;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) deactivatedAt: Date | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'Locked until then; null when not locked' }) lockedUntil: Date | null;
}

export function toAccountView(a: Account): AccountView {
  return {
    id: a.id,
    username: a.username,
    role: a.role,
    unit: a.unit,
    holderName: a.holderName,
    position: a.position ?? null,
    phone: a.phone ?? null,
    email: a.email ?? null,
    citizenIdMasked: a.citizenIdMasked ?? null,
    totpEnrolled: a.totpEnrolled,
    secondFactor: a.secondFactor ?? null,
    signInCertificate: a.signInCertificateThumbprint ? { thumbprint: a.signInCertificateThumbprint, notAfter: a.signInCertificateNotAfter } : null,
    passwordChangedAt: a.passwordChangedAt ?? null,
    active: a.active,
    deactivatedAt: a.deactivatedAt ?? null,
    lockedUntil: a.lockedUntil && a.lockedUntil > new Date() ? a.lockedUntil : null,
  };
}

export class CitizenIdView {
  @ApiProperty({ format: 'uuid' }) accountId: string;
  @ApiProperty({ type: String, nullable: true, description: 'The full citizen ID (personal data); null when none is recorded' }) citizenId: string | null;
}

export class IssuedSignInCertificateView {
  @ApiProperty({ description: "The holder's sign-in certificate (PEM)" }) certificatePem: string;
  @ApiProperty({ description: 'The issuing CA (PEM)' }) caCertificatePem: string;
  @ApiProperty({ pattern: '^[0-9a-f]{64}$' }) thumbprint: string;
  @ApiProperty({ format: 'date-time' }) notAfter: Date;
}

export class AccountSecondFactorView {
  @ApiProperty({ format: 'uuid' }) accountId: string;
  @ApiProperty({ enum: SECOND_FACTORS, nullable: true, description: "The account's own setting; null follows the role's policy" }) secondFactor: string | null;
  @ApiProperty({ enum: SECOND_FACTORS, description: 'The second factor it signs in with' }) effective: string;
}

export class RoleSignInPolicyView {
  @ApiProperty({ enum: ROLES }) role: string;
  @ApiProperty({ enum: SECOND_FACTORS }) secondFactor: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The account that set it' }) updatedBy: string | null;
  @ApiProperty({ format: 'date-time' }) updatedAt: Date;
}

export function toRoleSignInPolicyView({ role, secondFactor, updatedBy, updatedAt }: RoleSignInPolicy): RoleSignInPolicyView {
  return { role, secondFactor, updatedBy, updatedAt };
}

class ActivationPartView {
  @ApiProperty({ example: 'K7QD-2M9X-TR4B-ZW8H', description: "The administrator's part of the one-time code; the security officers receive the other" }) administratorPart: string;
  @ApiProperty({ format: 'date-time' }) expiresAt: Date;
}

export class IssuedActivationView {
  @ApiProperty({ type: AccountView }) account: AccountView;
  @ApiProperty({ type: ActivationPartView }) activation: ActivationPartView;
}

export class AccountEventView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) accountId: string;
  @ApiProperty({ example: 'HANDED_OVER' }) kind: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'Null for the gateway itself' }) actorId: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true }) details: Record<string, unknown>;
  @ApiProperty({ format: 'date-time' }) occurredAt: Date;
}

export function toAccountEventView(e: AccountEvent): AccountEventView {
  const { id, accountId, kind, actorId, details, occurredAt } = e;
  return { id, accountId, kind, actorId, details, occurredAt };
}

export class DelegationPartyView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() username: string;
  @ApiProperty() holderName: string;
}

export class DelegationView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) delegatorId: string;
  @ApiProperty({ format: 'uuid' }) assistantId: string;
  @ApiProperty({ format: 'date-time' }) expiresAt: Date;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) revokedAt: Date | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'Who ended it early: the delegator or an administrator' }) revokedBy: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: Date;
  @ApiProperty({ type: DelegationPartyView, description: 'Who gave it (the head)' }) delegator: DelegationPartyView;
  @ApiProperty({ type: DelegationPartyView, description: 'Who acts for the head' }) assistant: DelegationPartyView;
}

/** A delegation with its two people by name (accounts are never deleted, so both are found). */
export function toDelegationView(d: Delegation, people: ReadonlyMap<string, Pick<Account, 'id' | 'username' | 'holderName'>>): DelegationView {
  const { id, delegatorId, assistantId, expiresAt, revokedAt, revokedBy, createdAt } = d;
  const party = (accountId: string) => {
    const a = people.get(accountId);
    return { id: accountId, username: a?.username ?? '', holderName: a?.holderName ?? '' };
  };
  return { id, delegatorId, assistantId, expiresAt, revokedAt, revokedBy: revokedBy ?? null, createdAt, delegator: party(delegatorId), assistant: party(assistantId) };
}

export class SessionTokenView {
  @ApiPropertyOptional({ description: 'Send as Authorization: Bearer; absent when the session was delivered as a cookie (X-Session-Delivery: cookie)' }) accessToken?: string;
  @ApiProperty({ enum: ['Bearer', 'Cookie'], description: 'Cookie: the session is in the HttpOnly cookie, not in this body' }) tokenType: 'Bearer' | 'Cookie';
  @ApiProperty({ description: 'Seconds' }) expiresIn: number;
  @ApiPropertyOptional({ description: 'Failed sign-ins under this username since the holder last signed in' }) failedSignInsSinceLastSignIn?: number;
  @ApiPropertyOptional({ enum: [true], description: 'The password has expired: this session may only change it (POST /control/v1/auth/password)' }) passwordChangeRequired?: true;
}

export class EnrolmentChallengeView {
  @ApiProperty({ enum: [true] }) mfaEnrolmentRequired: true;
  @ApiProperty({ description: 'Send with the first code to POST /control/v1/auth/mfa-enrolment' }) enrolmentToken: string;
  @ApiProperty({ example: 'otpauth://totp/Gateway:admin?secret=…&issuer=Gateway', description: 'Show as a QR code to the authenticator app' }) otpauthUri: string;
}

export class ActivationResultView {
  @ApiProperty({ enum: [true] }) activated: true;
}

class AssistantView {
  @ApiProperty({ format: 'uuid' }) accountId: string;
  @ApiProperty() username: string;
  @ApiProperty() holderName: string;
}

export class ActorView {
  @ApiProperty({ format: 'uuid' }) accountId: string;
  @ApiProperty() username: string;
  @ApiProperty({ enum: ROLES }) role: string;
  @ApiProperty({ type: String, nullable: true }) unit: string | null;
  @ApiProperty() holderName: string;
  @ApiPropertyOptional({ type: AssistantView, description: 'Under delegation: the assistant acting for this account' }) assistant?: AssistantView;
  @ApiPropertyOptional({ enum: [true], description: 'Signed in with an expired password: may only change it' }) passwordChangeRequired?: true;
}

export function toActorView(a: Actor): ActorView {
  const { accountId, username, role, unit, holderName, assistant, passwordChangeRequired } = a;
  return {
    accountId,
    username,
    role,
    unit,
    holderName,
    ...(assistant ? { assistant: { accountId: assistant.accountId, username: assistant.username, holderName: assistant.holderName } } : {}),
    ...(passwordChangeRequired ? { passwordChangeRequired } : {}),
  };
}

/** One of my open sessions (GET /control/v1/auth/sessions). */
export class OpenSessionView {
  @ApiProperty({ format: 'uuid', description: "The session's id: DELETE /control/v1/auth/sessions/{id} ends it" }) id: string;
  @ApiProperty({ description: 'The session this request came with' }) current: boolean;
  @ApiProperty({ enum: ['cookie', 'bearer'], description: 'cookie: the console in a browser; bearer: a script' }) via: string;
  @ApiProperty({ format: 'date-time' }) openedAt: Date;
  @ApiProperty({ format: 'date-time', description: "When it ends unless used (the console's is renewed while in use)" }) expiresAt: Date;
  @ApiProperty({ description: 'Where it was opened from' }) sourceAddress: string;
  @ApiProperty({ type: String, nullable: true, description: 'The client that opened it (its User-Agent)' }) userAgent: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'A session I opened acting for this head (II.2.c)' }) actingFor: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'A session this assistant opened acting for me' }) actedBy: string | null;
}

export function toOpenSessionView(s: OpenSession): OpenSessionView {
  const { id, via, openedAt, expiresAt, sourceAddress, userAgent } = s.session;
  return { id, current: s.current, via, openedAt, expiresAt, sourceAddress, userAgent, actingFor: s.actingFor, actedBy: s.actedBy };
}
