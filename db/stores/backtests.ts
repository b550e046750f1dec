/** Backtest jobs and their kept reports. Status changes are conditional, so a cancel is never overwritten. */
import { and, desc, eq, getTableColumns, inArray } from 'drizzle-orm';
import type { Executor } from '../executor.ts';
import { backtests } from '../schema.ts';

export type BacktestRow = typeof backtests.$inferSelect;
export type BacktestKind = BacktestRow['kind'];
export type BacktestStatus = BacktestRow['status'];

/** The statuses of a job that has not finished. */
export const unfinished: BacktestStatus[] = ['queued', 'running'];

export async function insertBacktest(db: Executor, row: typeof backtests.$inferInsert): Promise<void> {
  await db.insert(backtests).values(row);
}

export async function findBacktest(db: Executor, id: string): Promise<BacktestRow | null> {
  const [row] = await db.select().from(backtests).where(eq(backtests.id, id)).limit(1);
  return row ?? null;
}

/** Newest first, without reports (they can be large; a single job carries its own). */
export async function listBacktests(db: Executor, q: { status?: BacktestStatus; kind?: BacktestKind; limit: number }): Promise<Omit<BacktestRow, 'report'>[]> {
  const where = and(q.status ? eq(backtests.status, q.status) : undefined, q.kind ? eq(backtests.kind, q.kind) : undefined);
  const { report: _report, ...columns } = getTableColumns(backtests);
  return db.select(columns).from(backtests).where(where).orderBy(desc(backtests.createdAt), desc(backtests.id)).limit(q.limit);
}

/** queued → running; false when the job was cancelled meanwhile. */
export async function markRunning(db: Executor, id: string, total: number): Promise<boolean> {
  const rows = await db.update(backtests).set({ status: 'running', total, progress: 0 })
    .where(and(eq(backtests.id, id), eq(backtests.status, 'queued'))).returning({ id: backtests.id });
  return rows.length > 0;
}

export async function saveProgress(db: Executor, id: string, progress: number, total: number): Promise<void> {
  await db.update(backtests).set({ progress, total }).where(eq(backtests.id, id));
}

/** running → done, failed; false when the job was cancelled meanwhile. */
export async function finishBacktest(db: Executor, id: string, end: {
  status: 'done' | 'failed'; report?: unknown; error?: string; at: number; progress?: { processed: number; total: number };
}): Promise<boolean> {
  const progress = end.progress ? { progress: end.progress.processed, total: end.progress.total } : {};
  const rows = await db.update(backtests).set({ status: end.status, report: end.report ?? null, error: end.error ?? null, finishedAt: end.at, ...progress })
    .where(and(eq(backtests.id, id), inArray(backtests.status, unfinished))).returning({ id: backtests.id });
  return rows.length > 0;
}

/** queued or running → cancelled; false when the job had already finished. */
export async function cancelBacktest(db: Executor, id: string, at: number): Promise<boolean> {
  const rows = await db.update(backtests).set({ status: 'cancelled', finishedAt: at })
    .where(and(eq(backtests.id, id), inArray(backtests.status, unfinished))).returning({ id: backtests.id });
  return rows.length > 0;
}

/** Jobs a previous process left unfinished can't resume: they fail, saying why. */
export async function failUnfinished(db: Executor, error: string, at: number): Promise<number> {
  const rows = await db.update(backtests).set({ status: 'failed', error, finishedAt: at })
    .where(inArray(backtests.status, unfinished)).returning({ id: backtests.id });
  return rows.length;
}
