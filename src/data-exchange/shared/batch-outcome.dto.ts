import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { FieldProblem } from '../../shared/errors/api-error.js';

export const ITEM_STATUSES = ['created', 'updated', 'unchanged', 'rejected'] as const;
export type ItemStatus = (typeof ITEM_STATUSES)[number];

export class BatchItemOutcome {
  @ApiProperty({ example: '012_TBKL_NQ57', description: 'The item key (taskCode, or indicatorCode/period); the item index when it has none' })
  key: string;

  @ApiProperty({ enum: ITEM_STATUSES })
  status: ItemStatus;

  @ApiPropertyOptional({ description: 'The stored version (its ETag) when accepted' })
  version?: number;

  @ApiPropertyOptional({ type: [FieldProblem] })
  errors?: FieldProblem[];
}

export class BatchSummary {
  @ApiProperty() created: number;
  @ApiProperty() updated: number;
  @ApiProperty() unchanged: number;
  @ApiProperty() rejected: number;
}

export class BatchResponse {
  @ApiProperty({ type: [BatchItemOutcome], description: 'One outcome per item, in request order' })
  items: BatchItemOutcome[];

  @ApiProperty({ type: BatchSummary })
  summary: BatchSummary;
}

export function summarise(items: BatchItemOutcome[]): BatchResponse {
  const summary: BatchSummary = { created: 0, updated: 0, unchanged: 0, rejected: 0 };
  for (const item of items) summary[item.status]++;
  return { items, summary };
}
