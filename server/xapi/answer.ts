/**
 * A send's decision as the X API answers it: `allow` and `request` are 201 with the new event (and
 * where it was delivered), `deny` a 403 and `limit` a 429 problem whose `detail` names the deciding
 * rule, its reason and what the rule says. Every answer carries the R12 windows' rate-limit headers.
 */
import type { z } from '@hono/zod-openapi';
import type { DecisionResponse } from '../decisions/request.ts';
import { refusalType, XApiProblem, type ProblemError } from './problems.ts';
import { rateLimitHeaders } from './rate-limit-headers.ts';
import type { DmPolicyDecision, SendResult } from './schemas.ts';

/** A rule's description in the version that decided, for the refusal's detail; null when unknown. */
export type RuleDescriber = (version: string, rule: string) => Promise<string | null>;

export function dmPolicyDecision(response: DecisionResponse): z.infer<typeof DmPolicyDecision> {
  const admitted = response.decision === 'allow' || response.decision === 'request';
  const daily = response.quota.daily;
  return {
    decision: response.decision, reason: response.reason, rule: response.rule, policy: response.policy,
    delivery: !admitted ? null : response.decision === 'request' ? 'message_requests' : 'conversation',
    daily: daily ? { limit: daily.limit, used: daily.used, remaining: daily.remaining, resets_at: daily.resetsAt } : null,
    retry_after_seconds: response.retryAfterSeconds,
  };
}

/** `rule "follow-gate" (recipient_not_following)`, or the policy's default when no rule matched. */
const ruleAndReason = (rule: string | null, reason: string) => (rule === null ? `the policy's default (${reason})` : `rule "${rule}" (${reason})`);

/** `rule "…" (reason) of policy dm x-api-v2[ for participant 7]: <what the rule says>` */
async function sentence(describe: RuleDescriber, response: DecisionResponse, rule: string | null, reason: string, participant?: string): Promise<string> {
  const description = rule === null ? null : await describe(response.policy.version, rule);
  const about = participant === undefined ? '' : ` for participant ${participant}`;
  return `${ruleAndReason(rule, reason)} of policy ${response.policy.name} ${response.policy.version}${about}${description ? `: ${description.replace(/\.$/, '')}` : ''}`;
}

/** The refusal of a `deny` (403) or a `limit` (429), naming the rule for each participant it refused. */
async function refusal(response: DecisionResponse, describe: RuleDescriber, headers: Record<string, string>, participantsNamed: boolean): Promise<XApiProblem> {
  const limited = response.decision === 'limit';
  const title = limited ? 'Too Many Requests' : 'Forbidden';
  const verb = limited ? 'Limited by' : 'Refused by';
  const retry = response.retryAfterSeconds !== null ? ` Retry in ${response.retryAfterSeconds} s.` : '';
  const refused = response.recipients.filter((r) => r.decision === response.decision);
  const deciding = refused.find((r) => r.rule === response.rule && r.reason === response.reason);
  const about = participantsNamed && deciding ? deciding.id : undefined;
  const detail = `${verb} ${await sentence(describe, response, response.rule, response.reason, about)}.${retry}`;
  const errors: ProblemError[] = participantsNamed && refused.length
    ? await Promise.all(refused.map(async (r) => ({
      title, type: refusalType(r.reason), detail: `${verb} ${await sentence(describe, response, r.rule, r.reason, r.id)}.`,
      resource_id: r.id, parameter: 'participant_ids', reason: r.reason, rule: r.rule,
    })))
    : [{ title, type: refusalType(response.reason), detail, reason: response.reason, rule: response.rule }];
  if (limited && response.retryAfterSeconds !== null) headers = { ...headers, 'retry-after': String(response.retryAfterSeconds) };
  return new XApiProblem(limited ? 429 : 403, title, detail, refusalType(response.reason), {
    errors, headers, extensions: { dm_policy: dmPolicyDecision(response) },
  });
}

export interface SendAnswer {
  body: z.infer<typeof SendResult>;
  headers: Record<string, string>;
}

/**
 * The answer to a send the policy decided. `conversationId` is X's id of the conversation the message
 * went to; `participantsNamed`: whether a refusal names the participants it is about (a new group).
 * Throws the refusal.
 */
export async function answerSend(
  response: DecisionResponse, options: { conversationId: (response: DecisionResponse) => string; eventId: (sendId: string) => string; participantsNamed: boolean; describe: RuleDescriber; now: number },
): Promise<SendAnswer> {
  const headers = rateLimitHeaders(response.quota, options.now);
  if (response.decision === 'deny' || response.decision === 'limit') throw await refusal(response, options.describe, headers, options.participantsNamed);
  return {
    body: { data: { dm_conversation_id: options.conversationId(response), dm_event_id: options.eventId(response.sendId!) }, dm_policy: dmPolicyDecision(response) },
    headers,
  };
}
