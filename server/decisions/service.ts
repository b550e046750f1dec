/** The decision path: `enforce` decides and records in one writer transaction; `check` only decides. */
import { createHash, randomUUID } from 'node:crypto';
import type { Executor, Store, Transaction } from '../../db/client.ts';
import { insertShadowDecision } from '../../db/stores/experiments.ts';
import { findIdempotentResponse, insertIdempotentResponse } from '../../db/stores/sends.ts';
import { ApiError } from '../http/errors.ts';
import type { Assignment, ExperimentRegistry } from '../lifecycle/experiments/registry.ts';
import { dailyQuota } from '../limits/daily-cap.ts';
import { rateWindowQuotas } from '../limits/rate-windows.ts';
import { retryAfterSeconds } from '../limits/retry-after.ts';
import type { LoadedPolicy, PolicyRegistry } from '../policy/registry.ts';
import { decide, type Decision } from './decide.ts';
import { loadDecisionState, type DecisionState } from './facts.ts';
import { countsAsApiRequest, countsTowardDailyCap, minuteTallies, recordDecision, type Recorded } from './record.ts';
import { HotState, type HotStateFigures } from './hot-state.ts';
import { messageKinds, type DecisionResponse, type SendRequest } from './request.ts';
import { databaseState, type DecisionStateSource } from './state-source.ts';

/** Told of every enforced decision's answer and its milliseconds from the call to the commit (metrics). */
export type DecisionObserver = (response: DecisionResponse, elapsedMs: number) => void;

export class DecisionService {
  private readonly observers: DecisionObserver[] = [];
  /** Enforced decisions read and keep their state in memory on a local file (the writer is the only one). */
  private readonly hot: HotState | null;
  private readonly enforcedState: DecisionStateSource;

  constructor(
    private readonly store: Store,
    private readonly policies: PolicyRegistry,
    private readonly experiments: ExperimentRegistry,
  ) {
    this.hot = store.localPath ? new HotState() : null;
    if (this.hot) {
      const hot = this.hot;
      store.writer.onCacheInvalidation((what) => hot.invalidate(what));
    }
    this.enforcedState = this.hot ?? databaseState;
  }

  /** What the enforced path keeps in memory, and how often it was found there; null when it keeps nothing. */
  keptState(): HotStateFigures | null {
    return this.hot?.figures() ?? null;
  }

  onEnforced(observe: DecisionObserver): void {
    this.observers.push(observe);
  }

  /** Decides and records (`decideAndRecord`), then tells the observers. */
  async enforce(request: SendRequest, now: number): Promise<DecisionResponse> {
    if (!this.observers.length) return this.decideAndRecord(request, now);
    const started = performance.now();
    const response = await this.decideAndRecord(request, now);
    const elapsedMs = performance.now() - started;
    for (const observe of this.observers) observe(response, elapsedMs);
    return response;
  }

  /**
   * Decides and records. A retry with the same idempotency key gets the first answer and counts once.
   * The job throws an ApiError only before its first write, so it runs without a savepoint.
   */
  private decideAndRecord(request: SendRequest, now: number): Promise<DecisionResponse> {
    if (request.facts) throw new ApiError(400, 'invalid_request', 'inline facts are for /v1/sends/check only: an enforced send is decided on stored state', 'body.facts');
    const requestHash = request.idempotencyKey ? hashRequest(request) : '';
    return this.store.writer.write(async (tx) => {
      if (request.idempotencyKey) {
        const earlier = await findIdempotentResponse(tx, request.senderId, request.idempotencyKey);
        if (earlier) {
          if (earlier.requestHash !== requestHash) {
            throw new ApiError(409, 'idempotency_key_reused', 'this idempotency key was used for a different request', 'body.idempotencyKey');
          }
          return earlier.response as DecisionResponse;
        }
      }
      const assignment = this.experiments.assign(request.senderId);
      const policy = assignment?.arm.policy ?? this.policies.active();
      const state = await this.load(tx, this.enforcedState, request, policy, now);
      const decision = await decide(request, state, policy, { trace: request.trace });
      const arm = assignment ? { experimentId: assignment.experimentId, arm: assignment.arm.name } : null;
      const recorded = await recordDecision(tx, request, state, decision, policy, arm, this.store.writer.batchState(minuteTallies));
      this.hot?.recorded({
        senderId: request.senderId, appId: request.appId ?? null, now, apiRequest: recorded.apiRequest, cooldownUntil: recorded.cooldownUntil,
        delivered: recorded.fingerprintTarget === null ? null : {
          counted: recorded.counted, fingerprints: state.fingerprints, target: recorded.fingerprintTarget,
          directRecipientId: request.kind === 'direct' ? request.recipientIds[0] : null,
        },
      });
      if (assignment?.shadows.length) await this.shadow(tx, request, state, decision, assignment, recorded.decisionId!);
      const response = await this.respond(tx, request, state, decision, policy, recorded, assignment);
      if (request.idempotencyKey) {
        await insertIdempotentResponse(tx, { senderId: request.senderId, key: request.idempotencyKey, requestHash, response, at: now });
      }
      return response;
    }, { savepoint: false, invalidates: 'none' });
  }

  /** Decides without recording anything; inline facts win over the store (what-if). */
  async check(request: SendRequest, now: number): Promise<DecisionResponse> {
    const assignment = this.experiments.assign(request.senderId);
    const policy = assignment?.arm.policy ?? this.policies.active();
    const db = this.store.db;
    const state = await this.load(db, databaseState, request, policy, now);
    const decision = await decide(request, state, policy, { trace: request.trace, inlineFacts: request.facts });
    const counted = countsTowardDailyCap(request, decision);
    const dryRun = { decisionId: null, conversationId: null, sendId: null, counted, apiRequest: countsAsApiRequest(request, decision), cooldownUntil: null, fingerprintTarget: null };
    return this.respond(db, request, state, decision, policy, dryRun, assignment);
  }

  /**
   * Shadow arms decide the same attempt beside the enforced decision and are only logged. Their
   * parameters may count over other windows, so each reads the state again with its own.
   */
  private async shadow(tx: Transaction, request: SendRequest, enforcedState: DecisionState, enforced: Decision, assignment: Assignment, decisionId: string): Promise<void> {
    for (const arm of assignment.shadows) {
      const state = await this.load(tx, this.enforcedState, request, arm.policy, enforcedState.now);
      const decision = await decide(request, state, arm.policy, { trace: false });
      await insertShadowDecision(tx, {
        decisionId, experimentId: assignment.experimentId, arm: arm.name, version: arm.policy.version, at: enforcedState.now,
        decision: decision.outcome, reason: decision.event.params.reason, rule: decision.rule,
        enforcedDecision: enforced.outcome, enforcedReason: enforced.event.params.reason,
      });
    }
  }

  private load(db: Executor, source: DecisionStateSource, request: SendRequest, policy: LoadedPolicy, now: number): Promise<DecisionState> {
    const newConversationId = request.kind === 'group_create' ? `g:${randomUUID()}` : null;
    return loadDecisionState(db, source, request, policy.params, now, newConversationId);
  }

  private async respond(db: Executor, request: SendRequest, state: DecisionState, decision: Decision, policy: LoadedPolicy, recorded: Recorded, assignment: Assignment | null): Promise<DecisionResponse> {
    const limits = decision.outcome === 'limit' ? decision.subjects.filter((s) => s.outcome === 'limit').flatMap((s) => s.limits) : [];
    const retryAfter = limits.length ? await retryAfterSeconds(db, limits, state.sender, request.appId ?? null, policy.params, state.now) : null;
    const daily = dailyQuota(state.sender, policy.params, state.now, recorded.counted);
    // The R12 windows of an API send, for the X API surface's rate-limit headers (server/xapi/).
    const api = request.channel === 'api' && messageKinds.has(request.kind)
      ? await rateWindowQuotas(db, state.sender, request.appId ?? null, policy.params, state.now, { counted: recorded.apiRequest, stored: recorded.decisionId !== null }) : {};
    return {
      decision: decision.outcome,
      reason: decision.event.params.reason,
      rule: decision.rule,
      policy: { name: policy.name, version: policy.version, arm: assignment?.arm.name ?? null },
      retryAfterSeconds: retryAfter,
      quota: daily ? { daily, ...api } : api,
      recipients: decision.subjects.filter((s) => s.subject !== null)
        .map((s) => ({ id: s.subject!, decision: s.outcome, reason: s.event.params.reason, rule: s.rule })),
      conversationId: recorded.conversationId,
      sendId: recorded.sendId,
      trace: request.trace ? decision.subjects.map((s) => ({ recipientId: s.subject, facts: s.facts, rules: s.trace ?? [] })) : null,
    };
  }
}

/** Identifies a request for idempotency: the same key with another body is a client error. */
function hashRequest(request: SendRequest): string {
  const { trace: _trace, ...significant } = request;
  return createHash('sha256').update(JSON.stringify(significant)).digest('hex');
}
