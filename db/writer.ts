/**
 * The single writer: jobs run one after another inside one write transaction per batch, each in
 * its own savepoint, and are answered only after that transaction commits. Grouping the commits
 * of concurrent requests keeps throughput high; running jobs in sequence keeps caps exact.
 */
import type { Database, Transaction } from './client.ts';

type Job<T> = {
  run: (tx: Transaction) => Promise<T>;
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
};

export class Writer {
  private queue: Job<any>[] = [];
  private running = false;

  constructor(private readonly db: Database, private readonly maxBatch = 256) {}

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
        await this.commitBatch(batch);
        if (this.queue.length) await new Promise<void>((resolve) => setImmediate(resolve));
      }
    } finally {
      this.running = false;
    }
  }

  private async commitBatch(batch: Job<any>[]): Promise<void> {
    const outcomes: Array<{ ok: true; value: unknown } | { ok: false; error: unknown }> = [];
    try {
      await this.db.transaction(async (tx) => {
        for (const job of batch) {
          try {
            // A savepoint per job: one job's failure rolls back only its own writes.
            outcomes.push({ ok: true, value: await tx.transaction((sp) => job.run(sp as Transaction)) });
          } catch (error) {
            outcomes.push({ ok: false, error });
          }
        }
      });
    } catch (error) {
      // The commit itself failed: nothing in this batch is durable, so nobody is told otherwise.
      for (const job of batch) job.reject(error);
      return;
    }
    batch.forEach((job, i) => {
      const outcome = outcomes[i];
      if (outcome.ok) job.resolve(outcome.value);
      else job.reject(outcome.error);
    });
  }
}
