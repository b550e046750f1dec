/**
 * The single writer: jobs run one after another inside one write transaction per batch, each in
 * its own savepoint, and are answered only after that transaction commits. Grouping the commits
 * of concurrent requests keeps throughput high; running jobs in sequence keeps caps exact.
 */
import { sql } from 'drizzle-orm';
import type { Database, Transaction } from './client.ts';

type Job<T> = {
  run: (tx: Transaction) => Promise<T>;
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
};

export class Writer {
  private queue: Job<any>[] = [];
  private running = false;

  /**
   * `maxBatchMs` keeps a write transaction well under a libSQL server's transaction timeout: sqld
   * rolls back a transaction that has held the write lock for 5 s while another connection waits.
   */
  constructor(private readonly db: Database, private readonly maxBatch = 256, private readonly maxBatchMs = 1000) {}

  /** Runs `run` inside the writer's transaction; resolves once its effects are committed. */
  write<T>(run: (tx: Transaction) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ run, resolve, reject });
      if (!this.running) {
        this.running = true;
        setImmediate(() => void this.drain());
      }
    });
  }

  /** Waits until every queued job has been committed (used on shutdown). */
  async idle(): Promise<void> {
    while (this.running || this.queue.length) await new Promise((r) => setTimeout(r, 5));
  }

  /**
   * The local driver's calls are synchronous, so a batch never yields to the event loop while it
   * runs. Each batch therefore starts from `setImmediate`: requests that arrived meanwhile are
   * parsed and queued first, and commit together.
   */
  private async drain(): Promise<void> {
    try {
      while (this.queue.length) {
        const batch = this.queue.splice(0, this.maxBatch);
        const rest = await this.commitBatch(batch);
        if (rest.length) this.queue.unshift(...rest);
        if (this.queue.length) await new Promise<void>((resolve) => setImmediate(resolve));
      }
    } finally {
      this.running = false;
    }
  }

  /** Commits what it can of `batch` within `maxBatchMs`; returns the jobs left for the next batch. */
  private async commitBatch(batch: Job<any>[], retried = false): Promise<Job<any>[]> {
    const outcomes: Array<{ ok: true; value: unknown } | { ok: false; error: unknown }> = [];
    const started = Date.now();
    try {
      await this.db.transaction(async (tx) => {
        // A marker that exists only inside this transaction: releasing it fails if the server
        // rolled the transaction back meanwhile, so such a batch can never commit as if whole.
        await tx.run(sql.raw('savepoint writer_batch'));
        for (const job of batch) {
          if (outcomes.length > 0 && Date.now() - started > this.maxBatchMs) break;
          try {
            // A savepoint per job: one job's failure rolls back only its own writes. A job alone in
            // its batch needs none: its failure may roll back the whole transaction.
            const value = batch.length === 1 ? await job.run(tx as Transaction) : await tx.transaction((sp) => job.run(sp as Transaction));
            outcomes.push({ ok: true, value });
          } catch (error) {
            // The transaction is gone: the next job's SAVEPOINT would open (and its RELEASE
            // commit) a transaction of its own. Stop here; nothing of this batch is durable.
            // A lone job without a savepoint fails by rolling the whole transaction back.
            if (transactionLost(error) || batch.length === 1) throw error;
            outcomes.push({ ok: false, error });
          }
        }
        await tx.run(sql.raw('release savepoint writer_batch'));
      });
    } catch (error) {
      // The transaction failed (or a lone job did): nothing in this batch is durable.
      // A transaction the server took back is run once more before its jobs are refused.
      if (!retried && transactionLost(error)) return this.commitBatch(batch, true);
      for (const job of batch) job.reject(error);
      return [];
    }
    outcomes.forEach((outcome, i) => {
      if (outcome.ok) batch[i].resolve(outcome.value);
      else batch[i].reject(outcome.error);
    });
    return batch.slice(outcomes.length);
  }
}

/** Whether an error says the batch's transaction no longer exists (rolled back by the server). */
function transactionLost(error: unknown): boolean {
  for (let e: any = error, depth = 0; e && depth < 5; e = e.cause, depth++) {
    if (/TRANSACTION_TIMEOUT|TRANSACTION_CLOSED|no such savepoint|no transaction is active/i.test(`${e.code ?? ''} ${e.message ?? ''}`)) return true;
  }
  return false;
}
