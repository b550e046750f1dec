/** An X conversation id resolved to what the service decides on: a 1:1 peer, or a group conversation. */
import type { Executor } from '../../db/executor.ts';
import { groupsWithIdPrefix } from '../../db/stores/dm-events.ts';
import { parseXConversationId } from './ids.ts';
import { problemTypes, XApiProblem } from './problems.ts';

export type ResolvedConversation =
  | { kind: 'direct'; peerId: string }
  | { kind: 'group'; conversationId: string };

const notFound = (id: string) => new XApiProblem(404, 'Not Found Error', `Could not find DM conversation with id: [${id}].`, problemTypes.resourceNotFound,
  { parameter: 'dm_conversation_id' });

/**
 * Resolves `id` for `userId`: a 1:1 id must name the user as one of its two ends (403 otherwise); a
 * group's number must name a group the service has (404 otherwise). Whether the user may send to or
 * read a group is the caller's (the policy's) to decide.
 */
export async function resolveConversation(db: Executor, id: string, userId: string): Promise<ResolvedConversation> {
  const parsed = parseXConversationId(id);
  if (!parsed) throw notFound(id);
  if (parsed.kind === 'direct') {
    const [a, b] = parsed.userIds;
    if (a !== userId && b !== userId) {
      throw new XApiProblem(403, 'Authorization Error', `user ${userId} is not a participant of DM conversation ${id}`, problemTypes.notAuthorizedForResource,
        { parameter: 'dm_conversation_id' });
    }
    return { kind: 'direct', peerId: a === userId ? b : a };
  }
  const groups = await groupsWithIdPrefix(db, parsed.prefix);
  if (groups.length === 0) throw notFound(id);
  if (groups.length > 1) throw new XApiProblem(409, 'Conflict', `DM conversation id ${id} names more than one group`, problemTypes.blank, { parameter: 'dm_conversation_id' });
  return { kind: 'group', conversationId: groups[0] };
}
