import type { CourierMessageDispatchEntity, CourierMessageEntity } from './courier-message.entity.js';

/** What Kratos shows instead of a subject or body outside `--dev`: they carry codes. */
export const REDACTED_BODY = '<redacted-unless-dev-mode>';

function dispatchJson(dispatch: CourierMessageDispatchEntity) {
  return {
    id: dispatch.id,
    message_id: dispatch.messageId,
    status: dispatch.status,
    ...(dispatch.error ? { error: dispatch.error } : {}),
    created_at: dispatch.createdAt.toISOString(),
    updated_at: dispatch.updatedAt.toISOString(),
  };
}

export function messageJson(message: CourierMessageEntity, reveal: boolean) {
  return {
    id: message.id,
    status: message.status,
    type: message.type,
    recipient: message.recipient,
    body: reveal ? message.body : REDACTED_BODY,
    subject: reveal ? message.subject : REDACTED_BODY,
    template_type: message.templateType,
    channel: message.channel ?? message.type,
    send_count: message.sendCount,
    dispatches: (message.dispatches ?? []).map(dispatchJson),
    created_at: message.createdAt.toISOString(),
    updated_at: message.updatedAt.toISOString(),
  };
}
