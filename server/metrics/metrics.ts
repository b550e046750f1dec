/**
 * The service's Prometheus metrics (prom-client), in one registry: decisions by outcome, reason,
 * version and arm; decision latency; the writer's batch sizes and transaction times; the kept
 * decision state's hit rate; HTTP requests by route and status. The rest of the service reports
 * through the observers below, never through prom-client itself.
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Writer } from '../../db/writer.ts';
import type { DecisionService } from '../decisions/service.ts';
import type { DecisionResponse } from '../decisions/request.ts';

/** Seconds: a decision takes ~0.3 ms of CPU, and waits for its batch's commit (a few ms, up to 1 s). */
const latencyBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];
const batchSizeBuckets = [1, 2, 4, 8, 16, 32, 64, 128, 256];

export class Metrics {
  readonly registry = new Registry();
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
    });
  }

  /** An enforced decision's answer and its milliseconds (DecisionService.onEnforced). */
  readonly observeDecision = (response: DecisionResponse, elapsedMs: number): void => {
    this.decisions.inc({ outcome: response.decision, reason: response.reason, version: response.policy.version, arm: response.policy.arm ?? '' });
    this.decisionSeconds.observe(elapsedMs / 1000);
  };

  /** A committed writer batch (Writer.onBatchCommitted). */
  readonly observeBatch = (jobs: number, transactionMs: number): void => {
    this.batchJobs.observe(jobs);
    this.batchSeconds.observe(transactionMs / 1000);
  };

  /** An answered HTTP request; `route` is the matched route's pattern, never the raw path. */
  observeRequest(method: string, route: string, status: number): void {
    this.httpRequests.inc({ method, route, status: String(status) });
  }

  /** Reads the kept decision state's figures at each scrape. */
  watchKeptState(decisions: Pick<DecisionService, 'keptState'>): void {
    const registers = [this.registry];
    new Gauge({
      name: 'dm_policy_kept_state_hit_ratio', help: 'Share of decision-state lookups found in memory since start (NaN before the first)', registers,
      collect() {
        const figures = decisions.keptState();
        this.set(figures && figures.hits + figures.misses > 0 ? figures.hits / (figures.hits + figures.misses) : Number.NaN);
      },
    });
    new Gauge({
      name: 'dm_policy_kept_state_lookups', help: 'Decision-state lookups since start, by result (hit: found in memory)', labelNames: ['result'], registers,
      collect() {
        const figures = decisions.keptState();
        this.set({ result: 'hit' }, figures?.hits ?? 0);
        this.set({ result: 'miss' }, figures?.misses ?? 0);
      },
    });
    new Gauge({
      name: 'dm_policy_kept_state_entries', help: 'Entries kept in memory, by kind (senders, pairs, apps)', labelNames: ['kind'], registers,
      collect() {
        const figures = decisions.keptState();
        for (const kind of ['senders', 'pairs', 'apps'] as const) this.set({ kind }, figures?.[kind] ?? 0);
      },
    });
  }

  /** Wires the observers: every enforced decision, every writer batch, the kept state. */
  static attach(decisions: DecisionService, writer: Writer): Metrics {
    const metrics = new Metrics();
    decisions.onEnforced(metrics.observeDecision);
    writer.onBatchCommitted(metrics.observeBatch);
    metrics.watchKeptState(decisions);
    return metrics;
  }
}
