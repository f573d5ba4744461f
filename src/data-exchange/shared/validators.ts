import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsISO8601, Matches, ValidationOptions } from 'class-validator';

/** An ISO 8601 calendar date, `YYYY-MM-DD`, that exists (no 2026-02-30). */
export function IsCalendarDate(options?: ValidationOptions) {
  return applyDecorators(
    Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a date as YYYY-MM-DD', ...options }),
    IsISO8601({ strict: true }, { message: 'must be a real calendar date', ...options }),
  );
}

/** Codes travel in URL paths: letters, digits, `_`, `.`, `-`. */
export const CODE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/;
export const CODE_MESSAGE = 'must be 1-100 characters of letters, digits, "_", "." or "-"';

/** Unit names are compared in Unicode NFC, trimmed. */
export const NormaliseText = () =>
  Transform(({ value }) => (typeof value === 'string' ? value.normalize('NFC').trim() : value));

/** Unit codes of the register (units/record-units.ts UNIT_CODE_PATTERN). */
export const UNIT_CODE_MESSAGE = 'must be a unit code of the register: 1-32 letters, digits, ".", "_" or "-"';
