/**
 * The decision path: `enforce` decides from the in-memory state and records by appending one row
 * to the decision log, in the single writer's group-committed transaction; `check` only decides.
 */
import { randomUUID } from 'node:crypto';
import type { Store } from '../../db/client.ts';
import { appendDecision, appendOwnedDecisions, type DecisionLogRow } from '../../db/stores/decision-log.ts';
import { runStatements } from '../../db/statements.ts';
import { StorageBusy, type BatchStateKind } from '../../db/writer.ts';
import { Forwarder, NotOwner } from '../cluster/forwarding.ts';
import type { Route, SenderOwnership } from '../cluster/ownership.ts';
import { findIdempotentResponse, type StoredResponse } from '../../db/stores/idempotency.ts';
import { ApiError } from '../http/errors.ts';
import type { Assignment, ExperimentRegistry } from '../lifecycle/experiments/registry.ts';
import { rateWindows } from '../limits/api-windows.ts';
import type { Fingerprinter } from '../limits/fingerprint.ts';
import { retryAfterSeconds } from '../limits/retry-after.ts';
import type { Decision } from '../policy/decision.ts';
import type { LoadedPolicy, PolicyRegistry } from '../policy/registry.ts';
import type { LiveState } from '../state/live-state.ts';
import { decide, decideUntraced } from './decide.ts';
import { loadDecisionState, type DecisionState } from './decision-state.ts';
import { hashRequest, idempotencyWindowMs } from './idempotency.ts';
import { logRow, newIds, recordedDecision, type ShadowDecision } from './record.ts';
import { messageKinds, type DecisionResponse, type SendRequest } from './request.ts';

/** What the decision path has done since start, for the figures a service reports about itself. */
export interface DecisionFigures {
  /** Idempotency answers held in memory, not yet in the indexed table. */
  idempotencyKeysInMemory: number;
  /**
   * Keys not in memory, since start: those the filter of stored keys cleared without a look-up
   * (`skipped`), and those looked up in the indexed table, `found` there or not (`absent`: the filter's
   * wrong "maybe"s).
   */
  idempotencyLookups: { skipped: number; found: number; absent: number };
  /** Keys the filter of stored keys holds, and its bytes. */
  storedKeyFilter: { keys: number; bytes: number };
}

/** Told of every enforced decision's answer and its milliseconds from the call to the commit (metrics). */
export type DecisionObserver = (response: DecisionResponse, elapsedMs: number) => void;

/** A writer batch's decisions, and the [shard, epoch] leases they were decided under (owned senders). */
interface LoggedBatch {
  rows: DecisionLogRow[];
  leases: Map<number, number>;
  /** The append was refused: a lease moved before it (nothing of the batch was recorded). */
  refused: boolean;
}

/** Where a decision is made here: under which shard's lease, or (no ownership) anywhere. */
type HereRoute = Extract<Route, { here: true }> | null;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const idempotencyConflict = () =>
  new ApiError(409, 'idempotency_key_reused', 'this idempotency key was used for a different request', 'body.idempotencyKey');

/** The first answer to the key's request, for a retry of the same request; another one with the key is refused. */
function firstAnswer(first: StoredResponse, requestHash: string): DecisionResponse {
  if (first.requestHash !== requestHash) throw idempotencyConflict();
  return JSON.parse(first.response) as DecisionResponse;
}

export class DecisionService {
  /**
   * Where instances own their senders on a libSQL server, a writer batch's decisions, appended to the
   * log together just before the batch commits (one round trip); null on a local file, where each
   * job appends its own row.
   */
  private readonly loggedDecisions: BatchStateKind<LoggedBatch> | null;
  private readonly observers: DecisionObserver[] = [];
  private readonly forwarder = new Forwarder();
  private readonly lookups = { skipped: 0, found: 0, absent: 0 };

  constructor(
    private readonly store: Store,
    private readonly state: LiveState,
    private readonly policies: PolicyRegistry,
    private readonly experiments: ExperimentRegistry,
    private readonly fingerprinter: Fingerprinter,
    /** Where instances share a server and own their senders: who decides for each sender. */
    private readonly ownership: SenderOwnership | null = null,
    /** How long a decision waits for its sender's shard to have an owner (an instance lost). */
    private readonly ownerWaitMs = 10_000,
  ) {
    this.loggedDecisions = ownership
      ? {
        create: () => ({ rows: [], leases: new Map(), refused: false }),
        statements: ({ rows, leases }) => appendOwnedDecisions(rows, [...leases], ownership.id),
        check: (batch, [, written]) => {
          batch.refused = batch.rows.length > 0 && Number(written[0][0]) !== batch.rows.length;
          return !batch.refused;
        },
      }
      : null;
  }

  figures(): DecisionFigures {
    return { idempotencyKeysInMemory: this.state.idempotency.size, idempotencyLookups: { ...this.lookups }, storedKeyFilter: this.state.idempotency.storedKeys };
  }

  onEnforced(observe: DecisionObserver): void {
    this.observers.push(observe);
  }

  /**
   * Decides and records: here, or — where instances own their senders — at the instance that owns
   * this sender, waiting up to ownerWaitMs for one when its owner was lost.
   */
  async enforce(request: SendRequest, now: number): Promise<DecisionResponse> {
    if (request.facts) throw new ApiError(400, 'invalid_request', 'inline facts are for /v1/sends/check only: an enforced send is decided on stored state', 'body.facts');
    if (!this.ownership) return this.observed(request, now, null);
    const deadline = Date.now() + this.ownerWaitMs;
    for (;;) {
      const route = this.ownership.route(request.senderId);
      try {
        if (route.here) return await this.observed(request, now, route);
        if (route.peer) return await this.forwarder.forward(route.peer, request, now);
      } catch (error) {
        if (!(error instanceof NotOwner)) throw error;
      }
      if (Date.now() >= deadline) {
        throw new StorageBusy(this.ownerWaitMs, null, `no instance took the decisions of this sender within ${this.ownerWaitMs} ms: nothing was recorded; send the request again`);
      }
      await Promise.all([this.ownership.refresh(), pause(50)]);
    }
  }

  /** A decision another instance forwarded: made here if this instance owns the sender, else NotOwner. */
  async enforceForPeer(request: SendRequest, now: number): Promise<DecisionResponse> {
    const route = this.ownership?.route(request.senderId);
    if (!route?.here) throw new NotOwner('this instance does not decide for this sender');
    return this.observed(request, now, route);
  }

  /** Decides and records here (`decideAndRecord`), then tells the observers. */
  private async observed(request: SendRequest, now: number, route: HereRoute): Promise<DecisionResponse> {
    if (!this.observers.length) return this.decideAndRecord(request, now, route);
    const started = performance.now();
    const response = await this.decideAndRecord(request, now, route);
    const elapsedMs = performance.now() - started;
    for (const observe of this.observers) observe(response, elapsedMs);
    return response;
  }

  /**
   * Decides and records. A retry with the same idempotency key gets the first answer and counts once.
   * The job reads and moves on the in-memory state, and throws an ApiError only before it does: it
   * runs without a savepoint. On a local file it appends its row in the batch's transaction; on a
   * server it leaves the row to the batch's append and, where the writer decides outside its
   * transaction, runs before that transaction.
   */
  private async decideAndRecord(request: SendRequest, now: number, route: HereRoute): Promise<DecisionResponse> {
    const key = request.idempotencyKey;
    const requestHash = key ? hashRequest(request) : '';
    if (key && !this.state.idempotency.find(request.senderId, key, now)) {
      // Older answers are in the indexed table: read before queueing.
      const stored = await this.storedAnswer(request.senderId, key, now, true);
      if (stored) return firstAnswer(stored, requestHash);
    }
    const fingerprints = this.fingerprinter.message(request.text);
    const { response, batch } = await this.store.writer.write(async (tx) => {
      // The shard may have moved on while the request waited for the writer.
      if (route && !this.ownership!.holds(route)) throw new NotOwner('this shard changed owner');
      if (key) {
        // A twin decided since the look-up above is in memory — or, since memory lets an answer go
        // as soon as it is indexed, in the table: on a local file this transaction sees what the
        // indexer committed (it can't commit during the batch); on a server the read is outside any
        // transaction, after what was indexed before memory let it go.
        const earlier = this.state.idempotency.find(request.senderId, key, now) ?? await this.storedAnswer(request.senderId, key, now, false);
        if (earlier) return { response: firstAnswer(earlier, requestHash), batch: null };
      }
      const assignment = this.experiments.assign(request.senderId);
      const policy = assignment?.arm.policy ?? this.policies.active();
      const state = this.load(request, policy, fingerprints, now);
      const decision = await decide(request, state, policy, { trace: request.trace });
      const seq = this.state.world.nextSeq();
      const recorded = recordedDecision(request, state, decision, policy, seq);
      const ids = newIds(recorded);
      const shadows = assignment?.shadows.length ? this.shadows(request, fingerprints, assignment, now) : [];
      const daily = this.dailyQuota(state, policy, recorded.counted);
      // The state moves on at once, so the next decision in this batch counts this one; a batch that
      // fails to commit has the state rebuilt from the database (the writer's onRollback).
      this.state.applyDecision(recorded);
      const quota = { ...daily, ...this.apiQuota(request, state, policy, false) };
      const response = this.respond(request, state, decision, policy, quota, recorded.conversationId, ids.sendId, assignment);
      const idempotency = key ? { key, requestHash, response: JSON.stringify(response) } : null;
      const arm = assignment ? { experimentId: assignment.experimentId, arm: assignment.arm.name } : null;
      const row = logRow(request, state, decision, policy, recorded, { ...ids, arm, shadows, idempotency });
      const logged = this.loggedDecisions && this.store.writer.batchState(this.loggedDecisions);
      if (logged) {
        logged.rows.push(row);
        if (route) logged.leases.set(route.shard, route.epoch);
      } else {
        await runStatements(tx, [appendDecision(row)]);
      }
      // Decided before its batch's transaction (instances sharing a server), its number is provisional.
      if (idempotency) this.state.idempotency.remember(request.senderId, idempotency.key, seq, state.now, requestHash, idempotency.response, this.loggedDecisions !== null);
      return { response, batch: logged };
    }, { savepoint: false, inMemory: this.loggedDecisions !== null });
    // The writer rebuilt the state from what is recorded; the sender's new owner decides it.
    if (batch?.refused) throw new NotOwner('a shard of this batch changed owner before its append: nothing was recorded');
    return response;
  }

  /**
   * The answer the indexed table holds for the key and still gives at `now`, or null — without a look-up when the filter of
   * stored keys says it holds none (`countSkipped`: counted as spared, once a request).
   */
  private async storedAnswer(senderId: string, key: string, now: number, countSkipped: boolean): Promise<StoredResponse | null> {
    if (!this.state.idempotency.mayBeStored(senderId, key)) {
      if (countSkipped) this.lookups.skipped++;
      return null;
    }
    const stored = await findIdempotentResponse(this.store.pointReads, senderId, key, now, idempotencyWindowMs);
    this.lookups[stored ? 'found' : 'absent']++;
    return stored;
  }

  /**
   * Decides without recording anything; inline facts win over the state (what-if). Given `chosen`
   * (the simulator's pick: a draft, a retired version), it decides by that version, outside any experiment.
   */
  async check(request: SendRequest, now: number, chosen?: LoadedPolicy): Promise<DecisionResponse> {
    await this.state.catchUp();
    const assignment = chosen ? null : this.experiments.assign(request.senderId);
    const policy = chosen ?? assignment?.arm.policy ?? this.policies.active();
    const state = this.load(request, policy, this.fingerprinter.message(request.text), now);
    const decision = await decide(request, state, policy, { trace: request.trace, inlineFacts: request.facts });
    // What the enforced send would count, counted here too, so that a dry run reports its figures.
    const { counted, apiRequest } = recordedDecision(request, state, decision, policy, 0);
    const quota = { ...this.dailyQuota(state, policy, counted), ...this.apiQuota(request, state, policy, apiRequest) };
    return this.respond(request, state, decision, policy, quota, null, null, assignment);
  }

  /** What each shadow arm decides on the same state, with its own parameters (its windows may differ). */
  private shadows(request: SendRequest, fingerprints: string[], assignment: Assignment, now: number): ShadowDecision[] {
    return assignment.shadows.map((arm) => {
      const state = this.load(request, arm.policy, fingerprints, now);
      const decision = decideUntraced(request, state, arm.policy);
      return {
        experimentId: assignment.experimentId, arm: arm.name, version: arm.policy.version,
        decision: decision.outcome, reason: decision.event.params.reason, rule: decision.rule,
      };
    });
  }

  private load(request: SendRequest, policy: LoadedPolicy, fingerprints: string[], now: number): DecisionState {
    const newConversationId = request.kind === 'group_create' ? `g:${randomUUID()}` : null;
    return loadDecisionState(this.state.world, request, policy.params, fingerprints, now, newConversationId);
  }

  /**
   * The sender's account number, as loaded with the decision's state or — for a sender new to it,
   * whose enforced decision numbered it since — as it is now: numbers never change once given.
   */
  private senderNumber(request: SendRequest, state: DecisionState): number {
    return state.sender.number >= 0 ? state.sender.number : this.state.world.accounts.find(request.senderId);
  }

  /** The daily quota after this decision, from the state before it (`counted`: whether this send counts). */
  private dailyQuota(state: DecisionState, policy: LoadedPolicy, counted: boolean): DecisionResponse['quota'] {
    const daily = this.state.world.dailyCap.quota(state.sender.number, policy.params, state.now, counted);
    return daily ? { daily } : {};
  }

  /**
   * R12's windows after an API send, for the X API surface's rate-limit headers: from the state with
   * this decision applied, or, for a dry run, with its request (`pending`) counted as the enforced send will.
   */
  private apiQuota(request: SendRequest, state: DecisionState, policy: LoadedPolicy, pending: boolean): DecisionResponse['quota'] {
    if (request.channel !== 'api' || !messageKinds.has(request.kind)) return {};
    const quota: DecisionResponse['quota'] = {};
    for (const window of rateWindows) {
      const figures = this.state.world.apiWindows.quota(window, this.senderNumber(request, state), request.appId ?? null, policy.params, state.now, pending);
      if (figures) quota[window] = figures;
    }
    return quota;
  }

  /** The answer; `retryAfterSeconds` counts what this decision itself recorded (an API request). */
  private respond(
    request: SendRequest, state: DecisionState, decision: Decision, policy: LoadedPolicy, quota: DecisionResponse['quota'],
    conversationId: string | null, sendId: string | null, assignment: Assignment | null,
  ): DecisionResponse {
    const limits = decision.outcome === 'limit' ? decision.subjects.filter((s) => s.outcome === 'limit').flatMap((s) => s.limits) : [];
    const retryAfter = limits.length ? retryAfterSeconds(this.state.world, limits, this.senderNumber(request, state), request.appId ?? null, policy.params, state.now) : null;
    return {
      decision: decision.outcome,
      reason: decision.event.params.reason,
      rule: decision.rule,
      policy: { name: policy.name, version: policy.version, arm: assignment?.arm.name ?? null },
      retryAfterSeconds: retryAfter,
      quota,
      recipients: decision.subjects.filter((s) => s.subject !== null)
        .map((s) => ({ id: s.subject!, decision: s.outcome, reason: s.event.params.reason, rule: s.rule })),
      conversationId,
      sendId,
      trace: request.trace ? decision.subjects.map((s) => ({ recipientId: s.subject, facts: s.facts, rules: s.trace ?? [] })) : null,
    };
  }
}
