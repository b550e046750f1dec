/**
 * The facts a replayed attempt is decided on: the logged facts of each subject (the graph, the message,
 * the group, the app — what the candidate can't change), with every member that a counter derives
 * replaced by the replay's own counters, and the candidate's parameters as `params`.
 */
import { dailyWindow, duplicateWindowMs, fingerprintTarget, type Params } from '../../decisions/facts.ts';
import type { FactValues } from '../../policy/engine.ts';
import { rollingWindowStart } from '../../limits/windows.ts';
import type { ReplayAttempt, ReplaySubject } from './attempt.ts';
import type { LoggedPairs } from './pair-history.ts';
import type { ReplayState } from './replay-state.ts';

export function replayFacts(attempt: ReplayAttempt, logged: ReplaySubject, world: ReplayState, pairs: LoggedPairs, params: Params): FactValues {
  const { request, at: now, sender } = attempt;
  const { subject, facts } = logged;
  const target = fingerprintTarget(request, subject, attempt.newConversationId);
  const duplicateRecipients = attempt.fingerprints.length
    ? world.duplicateRecipients(sender, attempt.fingerprints, target, rollingWindowStart(now, duplicateWindowMs(params)))
    : 0;
  const pair = subject === null ? null : pairs.factsIn(world.pairs, logged.pair, now);
  const api = world.apiUsage(sender, request.appId ?? null, now);
  // Members set one by one over a copy, not spread from a second object: this runs for every attempt and candidate.
  return {
    ...facts,
    params,
    sender: { ...facts.sender, inCooldown: world.inCooldown(sender, now) ?? facts.sender?.inCooldown ?? false },
    relation: pair === null ? facts.relation : {
      ...facts.relation,
      priorConversation: pair.priorConversation,
      receivedFromRecipient: pair.receivedFromRecipient,
      lastReceivedAgeSeconds: pair.lastReceivedAgeSeconds,
      repliesSinceReceived: pair.repliesSinceReceived,
    },
    content: { ...facts.content, duplicateRecipients },
    quota: {
      ...facts.quota,
      dailyUsed: world.dailyUsed(sender, dailyWindow(params), now),
      apiUser15m: api.apiUser15m,
      apiUser24h: api.apiUser24h,
      apiApp24h: api.apiApp24h,
    },
  };
}
