import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { FieldProblem } from '../../shared/errors/api-error.js';

/** Batch items refused by the attack-signature screen, by index: rejected on their own, never stored. */
export type ScreenedItems = ReadonlyMap<number, FieldProblem>;

const NONE: ScreenedItems = new Map();

/**
 * The screen runs as a Fastify hook, before Nest's guards and pipes (request-screening.service.ts);
 * the batch handler needs its verdict. This module owns the hand-over: the hook records it here,
 * the handler receives it as a declared, typed parameter (`@ScreenedBatchItems()`), and nothing
 * else reads or writes it.
 */
const verdicts = new WeakMap<FastifyRequest, ScreenedItems>();

export function recordScreenedItems(request: FastifyRequest, items: ScreenedItems): void {
  verdicts.set(request, items);
}

export function screenedItemsOf(request: FastifyRequest): ScreenedItems {
  return verdicts.get(request) ?? NONE;
}

/** The batch items the screen refused (empty when none was). Only on data-plane batch routes. */
export const ScreenedBatchItems = createParamDecorator(
  (_: unknown, context: ExecutionContext): ScreenedItems => screenedItemsOf(context.switchToHttp().getRequest<FastifyRequest>()),
);
