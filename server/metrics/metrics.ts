/**
 * The service's Prometheus metrics (prom-client), in one registry: decisions by outcome, reason,
 * version and arm; decision latency; the writer's batch sizes and transaction times; what the decision
 * state holds in memory and how long its last rebuild took; how far the log indexer lags; HTTP
 * requests by route and status. The rest of the service reports through the observers below, never
 * through prom-client itself.
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { SenderOwnership } from '../cluster/ownership.ts';
import { shardCount } from '../cluster/shards.ts';
import type { Store } from '../../db/client.ts';
import { logRowsAfter } from '../../db/stores/decision-log.ts';
import type { DecisionService } from '../decisions/service.ts';
import type { DecisionResponse } from '../decisions/request.ts';
import type { LiveState } from '../state/live-state.ts';

/** Seconds: a decision takes ~0.3 ms of CPU, and waits for its batch's commit (a few ms, up to 1 s). */
const latencyBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];
const batchSizeBuckets = [1, 2, 4, 8, 16, 32, 64, 128, 256];

/** What the scrape-time gauges read. */
export interface WatchedService {
  decisions: DecisionService;
  state: LiveState;
  store: Pick<Store, 'db' | 'indexer' | 'writer'>;
  /** Where instances share a libSQL server, which senders this one decides for. */
  ownership?: SenderOwnership | null;
}

/**
 * Counts by label set, handed to a prom-client counter when it is read (a scrape): prom-client's
 * inc() checks and hashes a label object on every call, and the decision path counted twice a
 * decision (bench/RESULTS.md, session 9). Label sets are as many as the counter's series.
 */
class PendingCounts<L extends string> {
  private readonly counts = new Map<string, { labels: Record<L, string>; count: number }>();

  /** Counts one more under `key` (the label values joined); false for a key not seen yet: then name it with first(). */
  addTo(key: string): boolean {
    const entry = this.counts.get(key);
    if (!entry) return false;
    entry.count++;
    return true;
  }

  first(key: string, labels: Record<L, string>): void {
    this.counts.set(key, { labels, count: 1 });
  }

  /** Hands what was counted since the last call to `counter` (from its collect()). */
  flushInto(counter: Counter<L>): void {
    for (const entry of this.counts.values()) {
      if (!entry.count) continue;
      counter.inc(entry.labels, entry.count);
      entry.count = 0;
    }
  }
}

export class Metrics {
  readonly registry = new Registry();
  private readonly decisionCounts = new PendingCounts<'outcome' | 'reason' | 'version' | 'arm'>();
  private readonly requestCounts = new PendingCounts<'method' | 'route' | 'status'>();
  private readonly decisions: Counter<'outcome' | 'reason' | 'version' | 'arm'>;
  private readonly decisionSeconds: Histogram;
  private readonly batchJobs: Histogram;
  private readonly batchSeconds: Histogram;
  private readonly httpRequests: Counter<'method' | 'route' | 'status'>;

  constructor() {
    const registers = [this.registry];
    this.decisions = new Counter({
      name: 'dm_policy_decisions_total', help: 'Enforced decisions, by outcome, reason, policy version and experiment arm ("" outside experiments)',
      labelNames: ['outcome', 'reason', 'version', 'arm'], registers,
      collect: () => this.decisionCounts.flushInto(this.decisions),
    });
    this.decisionSeconds = new Histogram({
      name: 'dm_policy_decision_duration_seconds', help: 'An enforced decision from the call to its committed answer', buckets: latencyBuckets, registers,
    });
    this.batchJobs = new Histogram({ name: 'dm_policy_writer_batch_jobs', help: 'Jobs (decisions and other writes) per committed writer batch', buckets: batchSizeBuckets, registers });
    this.batchSeconds = new Histogram({
      name: 'dm_policy_writer_batch_duration_seconds', help: 'A committed writer batch\'s transaction, COMMIT included', buckets: latencyBuckets, registers,
    });
    this.httpRequests = new Counter({
      name: 'dm_policy_http_requests_total', help: 'HTTP requests by method, matched route and status', labelNames: ['method', 'route', 'status'], registers,
      collect: () => this.requestCounts.flushInto(this.httpRequests),
    });
  }

  /** An enforced decision's answer and its milliseconds (DecisionService.onEnforced). */
  readonly observeDecision = (response: DecisionResponse, elapsedMs: number): void => {
    const { decision, reason, policy: { version } } = response;
    const arm = response.policy.arm ?? '';
    const key = `${decision}\u0000${reason}\u0000${version}\u0000${arm}`;
    if (!this.decisionCounts.addTo(key)) this.decisionCounts.first(key, { outcome: decision, reason, version, arm });
    this.decisionSeconds.observe(elapsedMs / 1000);
  };

  /** A committed writer batch (Writer.onBatchCommitted). */
  readonly observeBatch = (jobs: number, transactionMs: number): void => {
    this.batchJobs.observe(jobs);
    this.batchSeconds.observe(transactionMs / 1000);
  };

  /** An answered HTTP request; `route` is the matched route's pattern, never the raw path. */
  observeRequest(method: string, route: string, status: number): void {
    const key = `${method} ${route} ${status}`;
    if (!this.requestCounts.addTo(key)) this.requestCounts.first(key, { method, route, status: String(status) });
  }

  /** Gauges read at each scrape, off the decision path: the state in memory, its rebuild, the log indexer. */
  watchState({ decisions, state, store, ownership }: WatchedService): void {
    const registers = [this.registry];
    if (ownership) {
      new Gauge({
        name: 'dm_policy_sender_shards_held', help: `Shards of senders (of ${shardCount}) this instance decides for, on a libSQL server shared by instances`, registers,
        collect() { this.set(ownership.shardsHeld); },
      });
      new Gauge({
        name: 'dm_policy_journal_writer', help: '1 while this instance\'s connection writes every instance\'s appends (server/cluster/journal.ts), else 0', registers,
        collect() { this.set(ownership.journal === null ? 1 : 0); },
      });
    }
    new Gauge({
      name: 'dm_policy_state_entries',
      help: 'What the decision state holds in memory, by kind: accounts numbered, pairs of accounts with a direct conversation, '
        + 'group conversations, idempotency answers not yet indexed, keys in the filter of stored idempotency keys',
      labelNames: ['kind'], registers,
      collect() {
        const { world } = state;
        this.set({ kind: 'accounts' }, world.accounts.size);
        this.set({ kind: 'conversation_pairs' }, world.conversations.size);
        this.set({ kind: 'groups' }, world.groups.size);
        const figures = decisions.figures();
        this.set({ kind: 'idempotency_answers' }, figures.idempotencyKeysInMemory);
        this.set({ kind: 'idempotency_key_filter' }, figures.storedKeyFilter.keys);
      },
    });
    const counted = { skipped: 0, found: 0, absent: 0 };
    new Counter({
      name: 'dm_policy_idempotency_lookups_total',
      help: 'Idempotency keys not held in memory: cleared by the filter of stored keys without a look-up (skipped), '
        + 'or looked up in the indexed table and found there or not (absent: the filter\'s false positives)',
      labelNames: ['result'], registers,
      collect() {
        const now = decisions.figures().idempotencyLookups;
        for (const result of ['skipped', 'found', 'absent'] as const) {
          this.inc({ result }, now[result] - counted[result]);
          counted[result] = now[result];
        }
      },
    });
    new Gauge({
      name: 'dm_policy_writer_queued_jobs', help: 'Jobs (decisions and other writes) waiting for a writer batch, beside the batch under way', registers,
      collect() { this.set(store.writer.queued); },
    });
    new Gauge({
      name: 'dm_policy_state_rebuild_seconds', help: 'How long the latest rebuild of the decision state from the database took', registers,
      collect() { this.set(state.lastRebuild.ms / 1000); },
    });
    new Gauge({
      name: 'dm_policy_state_rebuild_log_rows', help: 'Decision-log rows the latest rebuild of the decision state folded', registers,
      collect() { this.set(state.lastRebuild.logRows); },
    });
    new Gauge({
      name: 'dm_policy_log_indexed_through', help: 'Sequence number up to which the log indexer has built the decision log\'s indexes (NaN before its first round)', registers,
      collect() { this.set(store.indexer.progress()?.indexedThrough ?? Number.NaN); },
    });
    new Gauge({
      name: 'dm_policy_log_index_pending_rows', help: 'Decision-log rows recorded after what the log indexer has built (read from the log at the scrape)', registers,
      async collect() {
        const progress = store.indexer.progress();
        this.set(await logRowsAfter(store.db, progress?.indexedThrough ?? 0));
      },
    });
    new Gauge({
      name: 'dm_policy_log_index_round_age_seconds', help: 'Seconds since the log indexer last finished a round (NaN before its first)', registers,
      collect() {
        const progress = store.indexer.progress();
        this.set(progress ? (Date.now() - progress.at) / 1000 : Number.NaN);
      },
    });
  }

  /** Wires the observers: every enforced decision, every writer batch, and the scrape-time gauges. */
  static attach(service: WatchedService): Metrics {
    const metrics = new Metrics();
    service.decisions.onEnforced(metrics.observeDecision);
    service.store.writer.onBatchCommitted(metrics.observeBatch);
    metrics.watchState(service);
    return metrics;
  }
}
