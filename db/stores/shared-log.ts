/**
 * The recorded order as several instances on one libSQL server read it: graph events journaled beside
 * the decision log, and the tail of both after what an instance has already applied.
 */
import type { Executor } from '../executor.ts';
import { execute, type Statement } from '../statements.ts';
import { foldedLogColumns } from './world-history.ts';

export async function appendGraphEvent(db: Executor, seq: number, at: number, event: string): Promise<void> {
  await execute(db, 'insert into graph_events (seq, at, event) values (?1, ?2, ?3)', [seq, at, event]);
}

/** One recorded event of the tail: a decision log row (foldedLogColumns) or a graph event's JSON. */
export type TailEntry = { decision: unknown[]; event: null } | { decision: null; event: { seq: number; at: number; json: string } };

const width = foldedLogColumns.split(',').length;

const tailText = `select * from (
  select ${foldedLogColumns}, null as event from decision_log where seq > ?1
  union all select seq, at, ${Array.from({ length: width - 2 }, () => 'null').join(', ')}, event from graph_events where seq > ?1) order by seq`;

/** The statement that reads everything recorded after `afterSeq` by any instance, over both tables, in the recorded order. */
export function sharedTailStatement(afterSeq: number): Statement {
  return { text: tailText, params: [afterSeq] };
}

/** sharedTailStatement's rows as tail entries. */
export function sharedTailEntries(rows: unknown[][]): TailEntry[] {
  return rows.map((row) => (row[width] === null
    ? { decision: row.slice(0, width), event: null }
    : { decision: null, event: { seq: Number(row[0]), at: Number(row[1]), json: String(row[width]) } }));
}
