/**
 * What a libSQL server (sqld) does with writers on several connections: the same one-round-trip
 * write transaction (BEGIN IMMEDIATE, a three-row insert, COMMIT — or the insert alone, autocommit)
 * in a loop on 1, 2 and 4 connections at once, each a Hrana stream over WebSocket as an instance's
 * writer keeps one. Prints transactions per second in all and each connection's latency. It is why
 * every instance's appends go through one connection (server/cluster/journal.ts). The same
 * transactions with each connection on a server of its own (a libSQL primary each, as one database
 * per instance would have) show what the shared write lock costs apart from the shared cores.
 *
 * Run: npm run bench:sqld-contention -- [--seconds 3]
 */
import * as hrana from '@libsql/hrana-client';
import { startSqld, type Sqld } from '../test/support/sqld.ts';
import { flag, machineLine, thousands } from './support/common.ts';

const seconds = flag('seconds', 3);
const insert = "insert into t (v) select 'x' from (select 1 union all select 2 union all select 3)";

/** One connection writing for `ms`: its transactions' latencies (ms), and how many found the database locked past the server's busy timeout. */
async function writer(url: string, ms: number, transaction: boolean): Promise<{ latencies: number[]; busy: number }> {
  const client = hrana.openWs(url);
  await client.getVersion();
  const stream = client.openStream();
  const latencies: number[] = [];
  let busy = 0;
  const end = Date.now() + ms;
  try {
    while (Date.now() < end) {
      const started = performance.now();
      try {
        await once(stream, transaction);
      } catch (error) {
        if ((error as { code?: string }).code !== 'SQLITE_BUSY') throw error;
        busy++;
        await stream.run('ROLLBACK').catch(() => undefined);
        continue;
      }
      latencies.push(performance.now() - started);
    }
  } finally {
    client.close();
  }
  return { latencies, busy };
}

/** One write: the transaction in one round trip, or the insert alone. */
async function once(stream: hrana.WsStream, transaction: boolean): Promise<void> {
  if (!transaction) {
    await stream.run(insert);
    return;
  }
  const batch = stream.batch(false);
  const begin = batch.step();
  const began = begin.run('BEGIN IMMEDIATE');
  const write = batch.step().condition(hrana.BatchCond.ok(begin));
  const wrote = write.run(insert);
  const committed = batch.step().condition(hrana.BatchCond.ok(write)).run('COMMIT');
  await batch.execute();
  await Promise.all([began, wrote, committed]);
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];

console.log(`sqld with writers on several connections — ${new Date().toISOString()}`);
console.log(machineLine());
/** A server with the bench's table, and its WebSocket URL. */
async function server(): Promise<{ sqld: Sqld; url: string }> {
  const sqld = await startSqld();
  const url = sqld.url.replace('http:', 'ws:');
  const setup = hrana.openWs(url);
  await setup.openStream().run('create table t (id integer primary key, v text)');
  setup.close();
  return { sqld, url };
}

const servers = [await server()];
try {
  console.log('| statement | connections | servers | transactions/s in all | p50 ms | p90 ms | locked past 5 s |');
  console.log('|---|---:|---:|---:|---:|---:|---:|');
  for (const transaction of [true, false]) {
    for (const [connections, own] of [[1, false], [2, false], [4, false], [2, true], [4, true]] as const) {
      while (own && servers.length < connections) servers.push(await server());
      const urls = Array.from({ length: connections }, (_, i) => servers[own ? i : 0].url);
      const each = await Promise.all(urls.map((url) => writer(url, seconds * 1000, transaction)));
      const all = each.flatMap((w) => w.latencies).sort((a, b) => a - b);
      const busy = each.reduce((n, w) => n + w.busy, 0);
      console.log(`| ${transaction ? 'BEGIN IMMEDIATE; insert; COMMIT' : 'insert (autocommit)'} | ${connections} | ${own ? connections : 1} | ${thousands(all.length / seconds)} | ${percentile(all, 0.5).toFixed(2)} | ${percentile(all, 0.9).toFixed(2)} | ${busy} |`);
    }
  }
} finally {
  await Promise.all(servers.map(({ sqld }) => sqld.stop()));
}
