/**
 * What reading log rows from a libSQL server costs, by the shape of the answer (issue 12): the tail
 * that instances read of each other's records (db/stores/shared-log.ts) as rows of the protocol's
 * typed values — one JSON object a value, encoded by sqld and decoded by the client — against the
 * same rows as one JSON text of arrays (what the service reads now), and an empty read (one round trip).
 *
 * One sqld over ws://, its log filled with `--log` rows of a realistic size; each read takes the last
 * `--rows` of them on the writer's kept stream (db/server-write-stream.ts) and turns them into tail
 * entries. CPU a read: sqld's from /proc, this process's from process.cpuUsage(), over `--reads` reads,
 * shapes alternating, `--rounds` times.
 *
 * Run: npm run bench:sqld-reads -- [--rows 25] [--reads 1000] [--rounds 3] [--log 10000]
 */
import { deepStrictEqual } from 'node:assert/strict';
import { openStore } from '../db/client.ts';
import { ServerWriteStream } from '../db/server-write-stream.ts';
import { appendDecision, type DecisionLogRow } from '../db/stores/decision-log.ts';
import { sharedTailEntries, sharedTailStatement, type TailEntry } from '../db/stores/shared-log.ts';
import { foldedLogColumns } from '../db/stores/world-history.ts';
import { startSqld } from '../test/support/sqld.ts';
import { flag, machineLine, median } from './support/common.ts';
import { processCpuUs } from './support/threads.ts';

const rows = flag('rows', 25);
const reads = flag('reads', 1000);
const rounds = flag('rounds', 3);
const logRows = Math.max(flag('log', 10_000), rows);

/** A delivered direct message as the decision path logs one (~600 bytes, compact facts). */
function logRow(seq: number): DecisionLogRow {
  const sender = `acct-${(seq * 7919) % 20_000}`;
  const recipient = `acct-${(seq * 104_729) % 20_000}`;
  return {
    seq, id: `0193${seq.toString(16).padStart(28, '0')}`, at: 1_796_000_000_000 + seq * 10, senderId: sender, recipientIds: [recipient],
    kind: 'direct', channel: 'app', appId: null, conversationId: `dm:${sender}:${recipient}`, decision: 'allow', reason: 'allowed', rule: null,
    policy: 'dm', version: 'x-2023', experimentId: null, arm: null, textFingerprint: `text:${seq.toString(36).padStart(22, '0')}`,
    fingerprints: [`text:${seq.toString(36).padStart(22, '0')}`], textLength: 42, request: { senderId: sender, recipientIds: [recipient], kind: 'direct', channel: 'app' },
    facts: `1|${'0,1,1,0,0,1,0,0,0,1,'.repeat(10)}`, sendId: `0193${seq.toString(16).padStart(28, '1')}`, counted: true, apiRequest: false,
    cooldownUntil: null, fingerprintTarget: recipient, idempotencyKey: null, requestHash: null, response: null, shadows: null,
  };
}

/** The tail as it was read before: the rows as the protocol's typed values, in order. */
const width = foldedLogColumns.split(',').length;
const typedTail = `select * from (
  select ${foldedLogColumns}, null as event from decision_log where seq > ?1
  union all select seq, at, ${Array.from({ length: width - 2 }, () => 'null').join(', ')}, event from graph_events where seq > ?1) order by seq`;
const typedEntries = (found: unknown[][]): TailEntry[] => found.map((row) => (row[width] === null
  ? { decision: row.slice(0, width), event: null }
  : { decision: null, event: { seq: Number(row[0]), at: Number(row[1]), json: String(row[width]) } }));

console.log(`reads from sqld — ${new Date().toISOString()}`);
console.log(machineLine());
const sqld = await startSqld();
const url = sqld.url.replace('http:', 'ws:');
const store = await openStore({ url, indexer: { idleMs: 600_000, quietMs: 600_000 } });
const stream = new ServerWriteStream(url);
try {
  for (let seq = 1; seq <= logRows; seq += 250) {
    const page = Array.from({ length: Math.min(250, logRows - seq + 1) }, (_, i) => logRow(seq + i));
    const tx = await stream.transaction();
    await tx.batch([...page.map(appendDecision).map((s) => ({ sql: s.text, args: [...s.params] })), 'COMMIT']);
    tx.close(true);
  }
  const after = logRows - rows;
  const shapes: Array<{ name: string; read: () => Promise<TailEntry[]> }> = [
    { name: 'typed values', read: async () => typedEntries(await stream.read({ sql: typedTail, args: [after] })) },
    { name: 'one JSON text', read: async () => { const s = sharedTailStatement(after); return sharedTailEntries(await stream.read({ sql: s.text, args: [...s.params] })); } },
    { name: 'empty (a round trip)', read: async () => { const s = sharedTailStatement(logRows); return sharedTailEntries(await stream.read({ sql: s.text, args: [...s.params] })); } },
  ];
  // Both shapes must answer the same entries, or the figures compare nothing.
  const answered = await shapes[1].read();
  deepStrictEqual(answered, await shapes[0].read());
  if (answered.length !== rows) throw new Error(`a read answered ${answered.length} entries, not ${rows}`);
  const figures = new Map(shapes.map((s) => [s.name, { sqld: [] as number[], client: [] as number[], ms: [] as number[] }]));
  console.log(`log of ${logRows} rows; each read takes the last ${rows}; ${reads} reads a shape a round`);
  for (let round = 1; round <= rounds; round++) {
    for (const shape of shapes) {
      let got = 0;
      const sqldBefore = processCpuUs(sqld.pid);
      const cpuBefore = process.cpuUsage();
      const started = performance.now();
      for (let i = 0; i < reads; i++) got += (await shape.read()).length;
      const ms = (performance.now() - started) / reads;
      const cpu = process.cpuUsage(cpuBefore);
      const sqldUs = (processCpuUs(sqld.pid) - sqldBefore) / reads;
      const clientUs = (cpu.user + cpu.system) / reads;
      const f = figures.get(shape.name)!;
      f.sqld.push(sqldUs); f.client.push(clientUs); f.ms.push(ms);
      console.log(`  round ${round}  ${shape.name.padEnd(21)} ${(got / reads).toFixed(0).padStart(3)} rows   sqld ${sqldUs.toFixed(0).padStart(4)} µs a read   client ${clientUs.toFixed(0).padStart(4)} µs a read   ${ms.toFixed(2)} ms a read`);
    }
  }
  console.log('\n| answer | sqld CPU a read | client CPU a read | wall a read |');
  console.log('|---|---:|---:|---:|');
  for (const [name, f] of figures) console.log(`| ${name} | ${median(f.sqld).toFixed(0)} µs | ${median(f.client).toFixed(0)} µs | ${median(f.ms).toFixed(2)} ms |`);
  console.log(`(medians of ${rounds} rounds; ${rows} log rows a read)`);
} finally {
  stream.drop();
  await store.close();
  await sqld.stop();
}
