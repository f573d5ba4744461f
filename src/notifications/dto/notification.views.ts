import { ApiProperty } from '@nestjs/swagger';
import type { Notification } from '../notification.entity.js';

/** A notification in a unit's inbox, mapped field by field (the unit column is the reader's own). */
export class NotificationView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) connectionId: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'The name of the connection the notice is about, as registered' }) connectionName: string | null;
  @ApiProperty({ example: 'APPROVED' }) kind: string;
  @ApiProperty() message: string;
  @ApiProperty({ description: 'The same in Vietnamese' }) messageVi: string;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'Facts of the notice (ids, dates)' }) data: Record<string, unknown>;
  @ApiProperty({ format: 'date-time' }) createdAt: Date;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) readAt: Date | null;
}

export function toNotificationView({ notice: n, connectionName }: { notice: Notification; connectionName: string | null }): NotificationView {
  return { id: n.id, connectionId: n.connectionId, connectionName, kind: n.kind, message: n.message, messageVi: n.messageVi ?? n.message, data: n.data, createdAt: n.createdAt, readAt: n.readAt };
}

/** The answer to registering a webhook: the signing secret, shown this once. */
export class RegisteredWebhookView {
  @ApiProperty() url: string;
  @ApiProperty({ description: 'HMAC-SHA256 key of X-Gateway-Signature; shown only now' }) secret: string;
}
