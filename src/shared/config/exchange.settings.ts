import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsTimeZone, Max, Min, MinLength } from 'class-validator';
import { type Settings, toInt } from './settings.js';

/** Data exchange and notifications: deadlines and the working calendar, classified records, webhooks, background work. */
export function ExchangeSettings<Base extends Settings>(base: Base) {
  class Exchange extends base {
    /** How often the webhook dispatcher and the reminder scans run. */
    @Transform(toInt)
    @IsInt()
    @Min(50)
    BACKGROUND_INTERVAL_MS = 5000;

    /**
     * Lets webhooks target loopback/private addresses: tests and closed networks only. Webhooks
     * are https:// whatever this says (the notices they carry must not cross a network in clear).
     */
    @IsIn(['true', 'false'])
    WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' | 'false' = 'false';

    /**
     * A PEM file of certificate authorities trusted for webhook targets besides the public ones,
     * e.g. a ministry's own CA in a closed network. Unset: only the public roots.
     */
    @IsOptional()
    @IsString()
    @MinLength(1)
    WEBHOOK_CA_CERT?: string;

    /** A delivery is given up after this many attempts or this many hours, whichever comes first. */
    @Transform(toInt)
    @IsInt()
    @Min(1)
    @Max(100)
    WEBHOOK_MAX_ATTEMPTS = 15;

    @Transform(toInt)
    @IsInt()
    @Min(1)
    @Max(720)
    WEBHOOK_MAX_AGE_HOURS = 48;

    /** After this many failed attempts in a row, the unit gets a notice in its inbox (once per run of failures). */
    @Transform(toInt)
    @IsInt()
    @Min(1)
    @Max(100)
    WEBHOOK_FAILURE_NOTICE_AFTER = 3;

    /**
     * Memory for pull pages already served, per process (feed-page-cache.ts): consumers polling
     * the head of their feed are answered from it. 0 turns it off (every page built afresh).
     */
    @Transform(toInt)
    @IsInt()
    @Min(0)
    @Max(4096)
    PULL_PAGE_CACHE_MB = 64;

    /** A task whose due date is this many days away or fewer is DUE_SOON. */
    @Transform(toInt)
    @IsInt()
    @Min(0)
    @Max(365)
    DUE_SOON_DAYS = 7;

    /**
     * Classified records (Mật, Tối mật; Tuyệt mật never): 'accept' only on a deployment approved for
     * them, on the protected network with the approved cryptographic solution; anywhere else 'refuse'.
     */
    @IsIn(['accept', 'refuse'])
    CLASSIFIED_RECORDS: 'accept' | 'refuse' = 'refuse';

    /** The zone of the working calendar: "today" for deadline signals, working days and hours. */
    @IsTimeZone({ message: 'must be an IANA time zone such as Asia/Ho_Chi_Minh' })
    TIMEZONE = 'Asia/Ho_Chi_Minh';
  }
  return Exchange;
}
