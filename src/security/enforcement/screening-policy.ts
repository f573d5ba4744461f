import { RouteConfig } from '@nestjs/platform-fastify';
import { FASTIFY_ROUTE_CONFIG_METADATA } from '@nestjs/platform-fastify/constants.js';
import type { FastifyRequest } from 'fastify';

/** Which inputs of a controller's routes carry free text (see input-screening.ts for what that changes). */
export interface FreeText {
  /** Query parameters holding names (filters such as `leadUnit`): screened for signatures only. */
  query?: readonly string[];
  /** Fields of a record (of the body, or of each batch item) holding free text: data, never screened. */
  body?: readonly string[];
}

export interface RouteScreening {
  freeTextQuery: ReadonlySet<string>;
  freeTextBody: ReadonlySet<string>;
}

/** Routes that declare nothing: every input is held to a strict format. */
export const NO_FREE_TEXT: RouteScreening = Object.freeze({ freeTextQuery: new Set<string>(), freeTextBody: new Set<string>() });

/**
 * Declares, on a data-plane controller, the inputs of its routes that are free text. Kept in the
 * route's Fastify config, so the screening hooks (which run before Nest's guards and pipes) read
 * it from `request.routeOptions.config` without a lookup.
 */
export function ScreenFreeText(freeText: FreeText): ClassDecorator {
  const screening: RouteScreening = { freeTextQuery: new Set(freeText.query ?? []), freeTextBody: new Set(freeText.body ?? []) };
  return (target) => {
    const prototype = target.prototype as Record<string, unknown>;
    for (const name of Object.getOwnPropertyNames(prototype)) {
      const descriptor = Object.getOwnPropertyDescriptor(prototype, name);
      if (name === 'constructor' || typeof descriptor?.value !== 'function') continue;
      const existing = (Reflect.getMetadata(FASTIFY_ROUTE_CONFIG_METADATA, descriptor.value) ?? {}) as object;
      RouteConfig({ ...existing, screening })(prototype, name, descriptor);
    }
  };
}

export function routeScreeningOf(request: FastifyRequest): RouteScreening {
  return (request.routeOptions.config as { screening?: RouteScreening } | undefined)?.screening ?? NO_FREE_TEXT;
}
