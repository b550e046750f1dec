/**
 * The three X API v2 send endpoints. Each send is the same enforced decision as `POST /v1/sends` with
 * `channel: "api"` and the token's app: the same counters, decision log and experiments.
 */
import { createRoute, type RouteConfig, type z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppDeps } from '../deps.ts';
import { fromZodError } from '../http/errors.ts';
import { newRouter, bearerSecurity } from '../http/router.ts';
import { SendRequest, type DecisionResponse } from '../decisions/request.ts';
import { answerSend, type RuleDescriber } from './answer.ts';
import { resolveConversation } from './conversations.ts';
import { xDirectConversationId, xEventId, xGroupConversationId } from './ids.ts';
import { XApiProblem, problemTypes } from './problems.ts';
import { ConversationParams, Message, NewGroupConversation, ParticipantParams, Problem, SendResult } from './schemas.ts';
import { requireUserContext, userContextOf, type UserContext } from './user-context.ts';

type Router = ReturnType<typeof newRouter>;

const problem = (description: string) => ({ description, content: { 'application/problem+json': { schema: Problem } } });

const sendResponses = {
  201: { description: 'Sent (or delivered to the recipient\'s message requests: see `dm_policy.delivery`)', content: { 'application/json': { schema: SendResult } } },
  400: problem('Malformed request'),
  401: problem('Missing or unknown bearer token'),
  403: problem('Refused by the policy (`detail` names the rule and reason), an app-only token (Unsupported Authentication), or a missing dm.write scope'),
  404: problem('No such conversation'),
  429: problem('Limited by the policy (`Retry-After`; `x-rate-limit-*` are the R12 windows)'),
  503: problem('The database stayed locked (another writer): nothing was recorded; send the same request again after `Retry-After` seconds'),
};

const sendRoute = <P extends string, R extends NonNullable<RouteConfig['request']>>(path: P, summary: string, description: string, request: R) => createRoute({
  method: 'post', path, summary, description, tags: ['x-api-v2'], security: bearerSecurity,
  middleware: [requireUserContext()] as const, request, responses: sendResponses,
});

const toMedia = (message: Message) => (message.attachments ?? []).map((a) => ({ id: a.media_id }));

/** The service's send request for a /2/ send, validated like a /v1 one. */
function sendRequest(user: UserContext, fields: { kind: SendRequest['kind']; recipientIds?: string[]; conversationId?: string; message: Message }): SendRequest {
  const parsed = SendRequest.safeParse({
    senderId: user.userId, recipientIds: fields.recipientIds ?? [], kind: fields.kind, conversationId: fields.conversationId,
    text: fields.message.text ?? '', channel: 'api', appId: user.appId, media: toMedia(fields.message),
  });
  if (!parsed.success) throw fromZodError(parsed.error, 'body');
  return parsed.data;
}

const toSelf = (parameter: string) => new XApiProblem(400, 'Invalid Request', `${parameter}: you cannot send a Direct Message to yourself`, problemTypes.invalidRequest, { parameter });

export function mountSends(router: Router, deps: AppDeps, describe: RuleDescriber) {
  const { decisions, store } = deps;

  /** Decides, and answers as X: 201 with the event, or the refusal. */
  async function send(c: Context, request: SendRequest, conversationId: (r: DecisionResponse) => string, participantsNamed: boolean) {
    const now = c.get('now') as number;
    const response = await decisions.enforce(request, now);
    const answer = await answerSend(response, { conversationId, eventId: xEventId, participantsNamed, describe, now });
    return c.json(answer.body, 201, answer.headers);
  }

  router.openapi(sendRoute('/dm_conversations/with/{participant_id}/messages', 'Send a Direct Message to a user',
    'Creates the 1:1 conversation if needed (its id is `<lowId>-<highId>`) and sends, as the token\'s user through the token\'s app, when the active policy admits it.',
    { params: ParticipantParams, body: { required: true, content: { 'application/json': { schema: Message } } } }),
  async (c) => {
    const user = userContextOf(c.get('principal'));
    const { participant_id: peer } = c.req.valid('param');
    if (peer === user.userId) throw toSelf('participant_id');
    const request = sendRequest(user, { kind: 'direct', recipientIds: [peer], message: c.req.valid('json') });
    return send(c, request, () => xDirectConversationId(user.userId, peer), false);
  });

  router.openapi(sendRoute('/dm_conversations', 'Create a group conversation and send its first message',
    'Decided per invited participant (the most severe outcome wins); a refusal lists each refused participant in `errors`. Answers the new conversation\'s numeric id.',
    { body: { required: true, content: { 'application/json': { schema: NewGroupConversation } } } }),
  async (c) => {
    const user = userContextOf(c.get('principal'));
    const body: z.infer<typeof NewGroupConversation> = c.req.valid('json');
    if (body.participant_ids.includes(user.userId)) throw toSelf('participant_ids');
    const request = sendRequest(user, { kind: 'group_create', recipientIds: body.participant_ids, message: body.message });
    return send(c, request, (r) => xGroupConversationId(r.conversationId!)!, true);
  });

  router.openapi(sendRoute('/dm_conversations/{dm_conversation_id}/messages', 'Send a Direct Message in a conversation',
    'A 1:1 id (`<id>-<id>`, the token\'s user one of them) sends to the other user; a group\'s id sends to the group, which the policy requires the user to be part of.',
    { params: ConversationParams, body: { required: true, content: { 'application/json': { schema: Message } } } }),
  async (c) => {
    const user = userContextOf(c.get('principal'));
    const { dm_conversation_id: id } = c.req.valid('param');
    const message = c.req.valid('json');
    const conversation = await resolveConversation(store.db, id, user.userId);
    const request = conversation.kind === 'direct'
      ? sendRequest(user, { kind: 'direct', recipientIds: [conversation.peerId], message })
      : sendRequest(user, { kind: 'group_message', conversationId: conversation.conversationId, message });
    return send(c, request, () => id, false);
  });
}
