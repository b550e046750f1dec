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

/**
 * The tail as one JSON text of arrays (the log's folded columns, then the event): as rows of the
 * protocol's typed values, reading 25 of them cost the reading instance ~580 µs of CPU and sqld ~460,
 * against ~154 and ~280 as one text (`npm run bench:sqld-reads`, bench/RESULTS.md session 13). Each
 * table's rows come in their key's order; sharedTailEntries merges the two.
 */
const tailText = `select json_group_array(json_array(${foldedLogColumns}, event)) from (
  select ${foldedLogColumns}, null as event from decision_log where seq > ?1
  union all select seq, at, ${Array.from({ length: width - 2 }, () => 'null').join(', ')}, event from graph_events where seq > ?1)`;

/** The statement that reads everything recorded after `afterSeq` by any instance, over both tables. */
export function sharedTailStatement(afterSeq: number): Statement {
  return { text: tailText, params: [afterSeq] };
}

/** sharedTailStatement's rows as tail entries, in the recorded order. */
export function sharedTailEntries(rows: unknown[][]): TailEntry[] {
  const tail = JSON.parse(String(rows[0][0])) as unknown[][];
  // Two runs in order (the log's, then the journal's): the sort merges them in one pass.
  tail.sort((a, b) => Number(a[0]) - Number(b[0]));
  return tail.map((row) => (row[width] === null
    ? { decision: row.slice(0, width), event: null }
    : { decision: null, event: { seq: Number(row[0]), at: Number(row[1]), json: String(row[width]) } }));
}
