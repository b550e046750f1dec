/**
 * The facts a replayed attempt is decided on: the logged facts of each subject (the graph, the message,
 * the group, the app — what the candidate can't change), with every member that a counter derives
 * replaced by the replay's own counters, and the candidate's parameters as `params`.
 */
import { dailyWindow, duplicateWindowMs, fingerprintTarget, type Params, type Subject } from '../../decisions/facts.ts';
import type { FactValues } from '../../policy/engine.ts';
import { rollingWindowStart } from '../../limits/windows.ts';
import type { ReplayAttempt } from './attempt.ts';
import type { LoggedPairs } from './pair-history.ts';
import type { ReplayState } from './replay-state.ts';

export function replayFacts(
  attempt: ReplayAttempt, logged: { subject: Subject; facts: FactValues }, world: ReplayState, pairs: LoggedPairs, params: Params,
): FactValues {
  const { request, at: now } = attempt;
  const { subject, facts } = logged;
  const senderId = request.senderId;
  const target = fingerprintTarget(request, subject, attempt.newConversationId);
  const duplicateRecipients = attempt.fingerprints.length
    ? world.duplicateRecipients(senderId, attempt.fingerprints, target, rollingWindowStart(now, duplicateWindowMs(params)), now)
    : 0;
  return {
    ...facts,
    params,
    sender: { ...facts.sender, inCooldown: world.inCooldown(senderId, now) ?? facts.sender?.inCooldown ?? false },
    relation: subject === null ? facts.relation : { ...facts.relation, ...pairs.factsIn(world.pairs, senderId, subject, now) },
    content: { ...facts.content, duplicateRecipients },
    quota: {
      ...facts.quota,
      dailyUsed: world.dailyUsed(senderId, dailyWindow(params), now),
      ...world.apiUsage(senderId, request.appId ?? null, now),
    },
  };
}
