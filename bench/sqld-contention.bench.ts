/**
 * What a libSQL server (sqld) does with writers on several connections: the same one-round-trip
 * write transaction (BEGIN IMMEDIATE, a three-row insert, COMMIT — or the insert alone, autocommit)
 * in a loop on 1, 2 and 4 connections at once, each a Hrana stream over WebSocket as an instance's
 * writer keeps one. Prints transactions per second in all and each connection's latency. It is why
 * every instance's appends go through one connection (server/cluster/journal.ts).
 *
 * Run: npm run bench:sqld-contention -- [--seconds 3]
 */
import * as hrana from '@libsql/hrana-client';
import { startSqld } from '../test/support/sqld.ts';
import { flag, machineLine, thousands } from './support/common.ts';

const seconds = flag('seconds', 3);
const insert = "insert into t (v) select 'x' from (select 1 union all select 2 union all select 3)";

/** One connection writing for `ms`: its transactions' latencies (ms). */
async function writer(url: string, ms: number, transaction: boolean): Promise<number[]> {
  const client = hrana.openWs(url);
  await client.getVersion();
  const stream = client.openStream();
  const latencies: number[] = [];
  const end = Date.now() + ms;
  try {
    while (Date.now() < end) {
      const started = performance.now();
      if (transaction) {
        const batch = stream.batch(false);
        const begin = batch.step();
        const began = begin.run('BEGIN IMMEDIATE');
        const write = batch.step().condition(hrana.BatchCond.ok(begin));
        const wrote = write.run(insert);
        const committed = batch.step().condition(hrana.BatchCond.ok(write)).run('COMMIT');
        await batch.execute();
        await Promise.all([began, wrote, committed]);
      } else {
        await stream.run(insert);
      }
      latencies.push(performance.now() - started);
    }
  } finally {
    client.close();
  }
  return latencies;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];

console.log(`sqld with writers on several connections — ${new Date().toISOString()}`);
console.log(machineLine());
const sqld = await startSqld();
try {
  const url = sqld.url.replace('http:', 'ws:');
  const setup = hrana.openWs(url);
  await setup.openStream().run('create table t (id integer primary key, v text)');
  setup.close();
  console.log('| statement | connections | transactions/s in all | p50 ms | p90 ms |');
  console.log('|---|---:|---:|---:|---:|');
  for (const transaction of [true, false]) {
    for (const connections of [1, 2, 4]) {
      const each = await Promise.all(Array.from({ length: connections }, () => writer(url, seconds * 1000, transaction)));
      const all = each.flat().sort((a, b) => a - b);
      console.log(`| ${transaction ? 'BEGIN IMMEDIATE; insert; COMMIT' : 'insert (autocommit)'} | ${connections} | ${thousands(all.length / seconds)} | ${percentile(all, 0.5).toFixed(2)} | ${percentile(all, 0.9).toFixed(2)} |`);
    }
  }
} finally {
  await sqld.stop();
}
