/**
 * The recorded order as several instances on one libSQL server read it: graph events journaled beside
 * the decision log, and the tail of both after what an instance has already applied.
 */
import type { Executor } from '../executor.ts';
import { execute, queryRows } from '../statements.ts';
import { foldedLogColumns } from './world-history.ts';

export async function appendGraphEvent(db: Executor, seq: number, at: number, event: string): Promise<void> {
  await execute(db, 'insert into graph_events (seq, at, event) values (?1, ?2, ?3)', [seq, at, event]);
}

/** One recorded event of the tail: a decision log row (foldedLogColumns) or a graph event's JSON. */
export type TailEntry = { decision: unknown[]; event: null } | { decision: null; event: { seq: number; at: number; json: string } };

const width = foldedLogColumns.split(',').length;

/**
 * Everything recorded after `afterSeq` by any instance, in the recorded order: one statement (one
 * round trip to the server) over both tables.
 */
export async function readSharedTail(db: Executor, afterSeq: number): Promise<TailEntry[]> {
  const nulls = Array.from({ length: width - 2 }, () => 'null').join(', ');
  const rows = await queryRows(db, `select * from (
    select ${foldedLogColumns}, null as event from decision_log where seq > ?1
    union all select seq, at, ${nulls}, event from graph_events where seq > ?1) order by seq`, [afterSeq]);
  return rows.map((row) => (row[width] === null
    ? { decision: row.slice(0, width), event: null }
    : { decision: null, event: { seq: Number(row[0]), at: Number(row[1]), json: String(row[width]) } }));
}
