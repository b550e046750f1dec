/** A logged attempt made ready to replay: its request again, and what the facts builder needs of it. */
import type { LoggedAttempt } from '../../../db/stores/decision-log-read.ts';
import { messageKinds, type SendRequest } from '../../decisions/request.ts';

export interface ReplayAttempt {
  log: LoggedAttempt;
  at: number;
  /** The request as logged; its text is never stored, so it is empty here (the fingerprints stand in). */
  request: SendRequest;
  isMessage: boolean;
  fingerprints: string[];
  /** The conversation a group_create opens: the real one when it was delivered, else one of its own. */
  newConversationId: string | null;
}

export function toReplayAttempt(log: LoggedAttempt): ReplayAttempt {
  const request = {
    recipientIds: [], kind: 'direct', channel: 'web', media: [], trace: false,
    ...log.request, senderId: log.senderId, text: '',
  } as SendRequest;
  return {
    log, at: log.at, request, isMessage: messageKinds.has(request.kind), fingerprints: log.fingerprints,
    newConversationId: request.kind === 'group_create' ? log.createdConversationId ?? `g:replay:${log.id}` : null,
  };
}
