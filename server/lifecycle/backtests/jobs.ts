/**
 * Backtests as jobs: queued, run in-process in the background one at a time (a replay yields to the
 * event loop as it goes, so the service keeps answering), progress saved as it runs, cancellable, the
 * report kept in the backtests table. A job doesn't survive its process: on the next start, jobs left
 * queued or running fail with "interrupted by restart".
 */
import { randomUUID } from 'node:crypto';
import type { Store } from '../../../db/client.ts';
import type { Transaction } from '../../../db/executor.ts';
import {
  cancelBacktest, failUnfinished, finishBacktest, insertBacktest, markRunning, saveProgress, type BacktestKind,
} from '../../../db/stores/backtests.ts';
import type { LoadedPolicy, PolicyRegistry } from '../../policy/registry.ts';
import { replay, type ReplayProgress } from './replay.ts';
import { sweepReport } from './report.ts';

export const interruptedByRestart = 'interrupted by restart';

/** What to replay; the candidates are compiled when the job is created, so a draft edited later doesn't change it. */
export interface BacktestSpec {
  kind: BacktestKind;
  policy: string;
  version: string;
  from: number;
  to: number;
  candidates: LoadedPolicy[];
  /** Sweeps: the parameter and one value per candidate. */
  parameter?: string;
  values?: number[];
}

interface Job {
  id: string;
  spec: BacktestSpec;
  abort: AbortController;
  /** The creating request's clock, and the real time then: a job's times advance from it. */
  clock: { at: number; real: number };
}

/** Saving progress more often than this costs writes and tells nobody anything. */
const progressEveryMs = 250;

const jobsByStore = new WeakMap<Store, BacktestJobs>();

export class BacktestJobs {
  private readonly queue: Job[] = [];
  private current: Job | null = null;
  private readonly recovered: Promise<void>;

  private constructor(private readonly store: Store, private readonly policies: PolicyRegistry) {
    this.recovered = store.writer.write((tx) => failUnfinished(tx, interruptedByRestart, Date.now())).then(
      () => undefined,
      (error) => console.error('backtests: could not fail the jobs of the previous run', error),
    );
  }

  /** One runner per database: the jobs it left unfinished at its last start are failed once. */
  static for(store: Store, policies: PolicyRegistry): BacktestJobs {
    let jobs = jobsByStore.get(store);
    if (!jobs) jobsByStore.set(store, (jobs = new BacktestJobs(store, policies)));
    return jobs;
  }

  /** Resolves once jobs of a previous process are marked failed; reads wait for it so they never show them running. */
  ready(): Promise<void> {
    return this.recovered;
  }

  async create(spec: BacktestSpec, createdBy: string, now: number): Promise<{ id: string; status: 'queued' }> {
    await this.ready();
    const id = randomUUID();
    await this.store.writer.write((tx) => insertBacktest(tx, {
      id, kind: spec.kind, status: 'queued', policy: spec.policy, version: spec.version, createdBy, createdAt: now,
      options: { from: new Date(spec.from).toISOString(), to: new Date(spec.to).toISOString(), ...(spec.parameter ? { parameter: spec.parameter, values: spec.values } : {}) },
    }));
    this.queue.push({ id, spec, abort: new AbortController(), clock: { at: now, real: Date.now() } });
    setImmediate(() => void this.pump());
    return { id, status: 'queued' };
  }

  /** Cancels a queued or running job; false when it had already finished. The running loop stops at its next check. */
  async cancel(id: string, now: number): Promise<boolean> {
    await this.ready();
    const cancelled = await this.store.writer.write((tx) => cancelBacktest(tx, id, now));
    if (!cancelled) return false;
    const queued = this.queue.findIndex((j) => j.id === id);
    if (queued >= 0) this.queue.splice(queued, 1);
    if (this.current?.id === id) this.current.abort.abort();
    return true;
  }

  private async pump(): Promise<void> {
    if (this.current) return;
    const job = this.queue.shift();
    if (!job) return;
    this.current = job;
    try {
      await this.run(job);
    } finally {
      this.current = null;
      void this.pump();
    }
  }

  private async run(job: Job): Promise<void> {
    const { spec } = job;
    const now = () => job.clock.at + (Date.now() - job.clock.real);
    try {
      if (!(await this.write((tx) => markRunning(tx, job.id, 0)))) return; // cancelled while queued
      let savedAt = 0;
      let progress: ReplayProgress = { processed: 0, total: 0 };
      const onProgress = async ({ processed, total }: ReplayProgress) => {
        progress = { processed, total };
        if (Date.now() - savedAt < progressEveryMs && processed < total) return;
        savedAt = Date.now();
        await this.write((tx) => saveProgress(tx, job.id, processed, total));
      };
      const reports = await replay(this.store, {
        from: spec.from, to: spec.to, policy: spec.policy, candidates: spec.candidates, signal: job.abort.signal, onProgress,
        deciding: (version) => this.policies.version(version),
        parameters: spec.parameter ? spec.values!.map((value) => ({ [spec.parameter!]: value })) : undefined,
      });
      const report = spec.kind === 'sweep' ? sweepReport(spec.parameter!, spec.values!, reports) : reports[0];
      await this.write((tx) => finishBacktest(tx, job.id, { status: 'done', report, at: now(), progress }));
    } catch (error) {
      if (job.abort.signal.aborted || this.store.client.closed) return; // cancelled (already recorded), or shutting down
      const message = error instanceof Error ? error.message : String(error);
      await this.write((tx) => finishBacktest(tx, job.id, { status: 'failed', error: message, at: now() })).catch(() => undefined);
    }
  }

  /**
   * A write of the runner (progress, reports); once the store is closed (the service stopped) the
   * job just ends. It changes nothing the decision path keeps in memory, so live decisions stay warm
   * while a backtest runs.
   */
  private write<T>(run: (tx: Transaction) => Promise<T>): Promise<T> {
    if (this.store.client.closed) return Promise.reject(new Error('the store is closed'));
    return this.store.writer.write(run);
  }
}
