/** The X API v2 DM shapes as zod schemas: they validate /2/ requests and describe them in /openapi.json. */
import { z } from '@hono/zod-openapi';
import { XUserId, xConversationIdPattern } from './ids.ts';

const pathParam = (name: string) => ({ param: { name, in: 'path' as const } });

export const ParticipantParams = z.object({ participant_id: XUserId.openapi(pathParam('participant_id')) });

export const ConversationParams = z.object({
  dm_conversation_id: z.string().regex(xConversationIdPattern, 'a conversation id is <userId>-<userId> (1:1) or 15–19 digits (a group)')
    .openapi({ ...pathParam('dm_conversation_id'), example: '1146654567674912769-1180000000000000000' }),
});

const Attachment = z.object({ media_id: z.string().regex(/^[0-9]{1,19}$/, 'a media id is 1–19 digits') }).strict();

/** A message: text, attachments, or both; nothing else. */
export const Message = z.object({
  text: z.string().min(1).max(10_000).optional(),
  attachments: z.array(Attachment).min(1).max(10).optional(),
}).strict().refine((m) => m.text !== undefined || m.attachments !== undefined, { message: 'a message needs text or attachments' })
  .openapi('XMessage', { example: { text: 'Hello!' } });

export type Message = z.infer<typeof Message>;

export const NewGroupConversation = z.object({
  conversation_type: z.literal('Group'),
  participant_ids: z.array(XUserId).min(2).max(49).refine((ids) => new Set(ids).size === ids.length, { message: 'a participant is listed twice' })
    .openapi({ description: 'The other participants (2–49); the token\'s user is the creator' }),
  message: Message,
}).strict().openapi('XNewGroupConversation');

const PolicyVersion = z.object({ name: z.string(), version: z.string(), arm: z.string().nullable() });

/** What dm-policy adds to X's answers: the decision behind them. */
export const DmPolicyDecision = z.object({
  decision: z.enum(['allow', 'request', 'deny', 'limit']),
  reason: z.string().openapi({ example: 'reply_window' }),
  rule: z.string().nullable(),
  policy: PolicyVersion,
  delivery: z.enum(['conversation', 'message_requests']).nullable()
    .openapi({ description: '`message_requests`: the recipient gets it as a message request (an outcome `request`); null for a refusal' }),
  daily: z.object({ limit: z.number(), used: z.number(), remaining: z.number(), resets_at: z.string().nullable() }).nullable()
    .openapi({ description: 'R10, the daily send cap after this send: a reply inside the reply window (R11) leaves `used` as it was' }),
  retry_after_seconds: z.number().int().nullable(),
}).openapi('XDmPolicyDecision');

export const SendResult = z.object({
  data: z.object({ dm_conversation_id: z.string(), dm_event_id: z.string() }),
  dm_policy: DmPolicyDecision,
}).openapi('XDmSendResult');

export const Problem = z.object({
  type: z.string().openapi({ example: 'urn:dm-policy:refusal:recipient_not_following' }),
  title: z.string().openapi({ example: 'Forbidden' }),
  detail: z.string(),
  status: z.number().int(),
  errors: z.array(z.object({ title: z.string(), detail: z.string(), type: z.string() }).passthrough()).min(1),
  dm_policy: DmPolicyDecision.optional(),
}).openapi('XProblem');

const commaList = <T extends readonly [string, ...string[]]>(values: T, description: string) => z.string()
  .refine((s) => s.split(',').every((v) => (values as readonly string[]).includes(v)), { message: `one or more of ${values.join(', ')}, comma-separated` })
  .optional().openapi({ description });

export const eventTypes = ['MessageCreate', 'ParticipantsJoin', 'ParticipantsLeave'] as const;
const eventFields = ['attachments', 'created_at', 'dm_conversation_id', 'entities', 'event_type', 'id', 'participant_ids', 'referenced_tweets', 'sender_id', 'text'] as const;

export const EventsQuery = z.object({
  max_results: z.coerce.number().int().min(1).max(100).default(100).openapi({ description: 'Events per page (1–100, default 100)' }),
  pagination_token: z.string().min(1).max(200).optional().openapi({ description: 'A `next_token` or `previous_token` of an earlier page' }),
  event_types: commaList(eventTypes, 'Which events; only MessageCreate events are recorded, so the others select none'),
  'dm_event.fields': commaList(eventFields, 'Accepted; every event carries all the fields the service has (id, event_type, text, created_at, sender_id, dm_conversation_id)'),
  expansions: z.string().optional().openapi({ description: 'Accepted and ignored: no includes are served' }),
  'user.fields': z.string().optional().openapi({ description: 'Accepted and ignored' }),
  'media.fields': z.string().optional().openapi({ description: 'Accepted and ignored' }),
  'tweet.fields': z.string().optional().openapi({ description: 'Accepted and ignored' }),
});

export const DmEvent = z.object({
  id: z.string(),
  event_type: z.literal('MessageCreate'),
  text: z.literal('').openapi({ description: 'Always empty: dm-policy never stores message text (see text_length)' }),
  text_length: z.number().int().openapi({ description: 'The text\'s length in Unicode code points' }),
  created_at: z.string(),
  sender_id: z.string(),
  dm_conversation_id: z.string(),
}).openapi('XDmEvent');

export const EventPage = z.object({
  data: z.array(DmEvent).optional().openapi({ description: 'Absent when the page is empty, as X serves it' }),
  meta: z.object({ result_count: z.number().int(), next_token: z.string().optional(), previous_token: z.string().optional() }),
}).openapi('XDmEventPage');
