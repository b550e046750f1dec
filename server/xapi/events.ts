/**
 * The X API v2 DM event listings over what the service recorded: delivered messages only, newest
 * first, metadata only (`text` is always empty: no text is ever stored), paged by `pagination_token`.
 */
import { createRoute, type RouteConfig, type z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { LogCursor } from '../../db/stores/decision-log.ts';
import { listDmEvents, type DmEventRow, type DmEventScope } from '../../db/stores/dm-events.ts';
import type { AppDeps } from '../deps.ts';
import { iso } from '../http/responses.ts';
import { bearerSecurity, newRouter } from '../http/router.ts';
import { decodeCursor, encodeCursor } from '../lifecycle/decision-log/cursor.ts';
import { resolveConversation } from './conversations.ts';
import { xDirectConversationId, xEventId, xGroupConversationId } from './ids.ts';
import { problemTypes, XApiProblem } from './problems.ts';
import { ConversationParams, EventPage, EventsQuery, ParticipantParams, Problem } from './schemas.ts';
import { requireUserContext, userContextOf } from './user-context.ts';

type Router = ReturnType<typeof newRouter>;
type Direction = 'older' | 'newer';

/** `n…` pages toward older events, `p…` toward newer ones, from the event the token was cut at. */
const encodePageToken = (direction: Direction, position: LogCursor) => `${direction === 'older' ? 'n' : 'p'}${encodeCursor(position)}`;

function decodePageToken(token: string): { direction: Direction; position: LogCursor } {
  const position = decodeCursor(token.slice(1));
  const direction = token[0] === 'n' ? 'older' : token[0] === 'p' ? 'newer' : null;
  if (!position || !direction) {
    throw new XApiProblem(400, 'Invalid Request', 'pagination_token: not a token this service issued', problemTypes.invalidRequest, { parameter: 'pagination_token' });
  }
  return { direction, position };
}

function toEvent(row: DmEventRow) {
  const conversation = row.recipientId !== null ? xDirectConversationId(row.senderId, row.recipientId) : xGroupConversationId(row.conversationId ?? '');
  return {
    id: xEventId(row.sendId), event_type: 'MessageCreate' as const, text: '' as const, text_length: row.textLength,
    created_at: iso(row.at), sender_id: row.senderId, dm_conversation_id: conversation ?? row.conversationId ?? '',
  };
}

/** One page of `scope` as X serves it: `data` only when not empty, `meta.result_count` always. */
async function page(deps: AppDeps, scope: DmEventScope, query: z.infer<typeof EventsQuery>): Promise<z.infer<typeof EventPage>> {
  if (query.event_types && !query.event_types.split(',').includes('MessageCreate')) return { meta: { result_count: 0 } };
  const from = query.pagination_token ? decodePageToken(query.pagination_token) : undefined;
  const max = query.max_results;
  const rows = await listDmEvents(deps.store.db, scope, { from, limit: max + 1 });
  // One row past the page, on its far side, says whether another page follows in that direction.
  const more = rows.length > max;
  const events = !more ? rows : from?.direction === 'newer' ? rows.slice(1) : rows.slice(0, max);
  const meta: z.infer<typeof EventPage>['meta'] = { result_count: events.length };
  if (events.length) {
    const towardNewer = from?.direction === 'newer';
    // On the token's side there is at least the event the token was cut at.
    const olderExist = towardNewer || more;
    const newerExist = towardNewer ? more : from !== undefined;
    if (olderExist) meta.next_token = encodePageToken('older', events[events.length - 1]);
    if (newerExist) meta.previous_token = encodePageToken('newer', events[0]);
  }
  return events.length ? { data: events.map(toEvent), meta } : { meta };
}

const listRoute = <P extends string, R extends NonNullable<RouteConfig['request']>>(path: P, summary: string, description: string, request: R) => createRoute({
  method: 'get', path, summary, description, tags: ['x-api-v2'], security: bearerSecurity,
  middleware: [requireUserContext()] as const,
  request,
  responses: {
    200: { description: 'A page of events, newest first', content: { 'application/json': { schema: EventPage } } },
    400: { description: 'Malformed request', content: { 'application/problem+json': { schema: Problem } } },
    401: { description: 'Missing or unknown bearer token', content: { 'application/problem+json': { schema: Problem } } },
    403: { description: 'An app-only token, a missing dm.read scope, or a conversation the user is not part of', content: { 'application/problem+json': { schema: Problem } } },
    404: { description: 'No such conversation', content: { 'application/problem+json': { schema: Problem } } },
  },
});

export function mountEvents(router: Router, deps: AppDeps) {
  const answer = async (c: Context, scope: DmEventScope, query: z.infer<typeof EventsQuery>) => c.json(await page(deps, scope, query), 200);

  router.openapi(listRoute('/dm_events', 'List the user\'s DM events',
    'Every message the token\'s user sent or received, in 1:1 conversations and in the groups they are part of.', { query: EventsQuery }),
  async (c) => {
    const { userId } = userContextOf(c.get('principal'));
    // The groups the user is in, as deciding knows them (with what other instances recorded).
    await deps.state.catchUp();
    return answer(c, { accountId: userId, groupIds: deps.state.world.groups.of(userId) }, c.req.valid('query'));
  });

  router.openapi(listRoute('/dm_conversations/with/{participant_id}/dm_events', 'List the DM events of a 1:1 conversation',
    'The messages between the token\'s user and `participant_id`, both ways.', { query: EventsQuery, params: ParticipantParams }),
  async (c) => {
    const { userId } = userContextOf(c.get('principal'));
    const { participant_id: peer } = c.req.valid('param');
    return answer(c, { pair: [userId, peer] }, c.req.valid('query'));
  });

  router.openapi(listRoute('/dm_conversations/{dm_conversation_id}/dm_events', 'List the DM events of a conversation',
    'A 1:1 conversation the token\'s user is one end of, or a group they are part of.', { query: EventsQuery, params: ConversationParams }),
  async (c) => {
    const { userId } = userContextOf(c.get('principal'));
    const { dm_conversation_id: id } = c.req.valid('param');
    const conversation = await resolveConversation(deps.store.db, id, userId);
    if (conversation.kind === 'direct') return answer(c, { pair: [userId, conversation.peerId] }, c.req.valid('query'));
    await deps.state.catchUp();
    if (!deps.state.world.groups.get(conversation.conversationId).participants.includes(userId)) {
      throw new XApiProblem(403, 'Authorization Error', `user ${userId} is not a participant of DM conversation ${id}`, problemTypes.notAuthorizedForResource,
        { parameter: 'dm_conversation_id' });
    }
    return answer(c, { groupId: conversation.conversationId }, c.req.valid('query'));
  });
}
