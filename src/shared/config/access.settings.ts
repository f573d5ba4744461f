import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, Min, MinLength } from 'class-validator';
import { type Settings, toInt } from './settings.js';

/** Credentials and sessions: data-plane tokens and certificates, control-plane sessions, console sign-in, passwords, delegations, personal data at rest. */
export function AccessSettings<Base extends Settings>(base: Base) {
  class Access extends base {
    /** HMAC key for access tokens. Unset outside production: generated once into DATA_DIR. */
    @IsOptional()
    @IsString()
    @MinLength(32, { message: 'must be at least 32 characters' })
    TOKEN_SIGNING_SECRET?: string;

    @Transform(toInt)
    @IsInt()
    @Min(60)
    @Max(900, { message: 'must be at most 900 (tokens live at most 15 minutes)' })
    TOKEN_TTL_SECONDS = 600;

    @Transform(toInt)
    @IsInt()
    @Min(1)
    @Max(3650)
    CLIENT_CERT_VALIDITY_DAYS = 365;

    /** Control-plane sessions are short (privileged accounts). */
    @Transform(toInt)
    @IsInt()
    @Min(60)
    @Max(3600)
    CONTROL_SESSION_TTL_SECONDS = 900;

    /**
     * The console's cookie session (accounts/browser-session.ts) expires after
     * CONTROL_SESSION_TTL_SECONDS without a request, and at the latest this long after sign-in.
     */
    @Transform(toInt)
    @IsInt()
    @Min(60)
    @Max(86400)
    CONSOLE_SESSION_MAX_SECONDS = 28800;

    /**
     * Failed sign-ins allowed per (username, source address) before that pair backs off. Counted
     * per source so that an outsider cannot lock a person out (issue 12, point 10).
     */
    @Transform(toInt)
    @IsInt()
    @Min(1)
    SIGN_IN_MAX_FAILURES = 5;

    /** The first back-off of a (username, source address) pair; it doubles with each further failure. */
    @Transform(toInt)
    @IsInt()
    @Min(1)
    SIGN_IN_LOCKOUT_SECONDS = 60;

    /** The longest back-off. */
    @Transform(toInt)
    @IsInt()
    @Min(1)
    SIGN_IN_BACKOFF_MAX_SECONDS = 86_400;

    /** Calls per source address per minute to the public sign-in routes (sign-in, enrolment, activation). */
    @Transform(toInt)
    @IsInt()
    @Min(1)
    SIGN_IN_PER_SOURCE_PER_MINUTE = 30;

    /** How long an account's one-time activation code (creation, handover) stays usable. */
    @Transform(toInt)
    @IsInt()
    @Min(1)
    @Max(720)
    ACCOUNT_ACTIVATION_TTL_HOURS = 72;

    /**
     * Key for personal data at rest (the holder's citizen ID number, AES-256-GCM). Unset outside
     * production: generated once into DATA_DIR. Kept apart from TOKEN_SIGNING_SECRET so that
     * rotating the signing secret does not make the stored data unreadable.
     */
    @IsOptional()
    @IsString()
    @MinLength(32, { message: 'must be at least 32 characters' })
    PERSONAL_DATA_KEY?: string;

    /** A password expires this many days after it was set (seed 004: at least every 3 months). */
    @Transform(toInt)
    @IsInt()
    @Min(1)
    @Max(90, { message: 'must be at most 90 (passwords change at least every 3 months)' })
    PASSWORD_MAX_AGE_DAYS = 90;

    /** A new password may not be any of the last this many (the current one included). */
    @Transform(toInt)
    @IsInt()
    @Min(1)
    @Max(24)
    PASSWORD_HISTORY = 5;

    /** The zxcvbn score (0-4) a password the holder chooses must reach; common passwords score 0-1. */
    @Transform(toInt)
    @IsInt()
    @Min(2)
    @Max(4)
    PASSWORD_MIN_STRENGTH = 3;

    /** The longest a delegation (II.2.c) may run before it ends by itself. */
    @Transform(toInt)
    @IsInt()
    @Min(1)
    @Max(365)
    DELEGATION_MAX_DAYS = 90;

    /** Validity of a sign-in certificate issued to a person (CLIENT_CERTIFICATE second factor). */
    @Transform(toInt)
    @IsInt()
    @Min(1)
    @Max(1095)
    SIGN_IN_CERTIFICATE_VALIDITY_DAYS = 365;
  }
  return Access;
}
