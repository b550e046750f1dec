/**
 * Decisions per second through the real service: one instance on a local file, one instance on a
 * libSQL server (sqld, over http:// and ws://), two instances on the same sqld. Each run: a fresh
 * database, 50 recipients open to everyone, then POST /v1/sends (allowed, so each one is recorded and
 * committed) from 50 concurrent loops for ~5 s, spread over 2 000 senders so that no cap is reached.
 *
 * `npm run bench:sqld` (tsx bench/sqld.bench.ts). BENCH_SECONDS and BENCH_CONCURRENCY override the load.
 * The load generator runs in the same process as the instances (and on the same cores as sqld), so
 * the figures compare the storage paths with each other rather than measure a deployment.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@libsql/client';
import type { TestService } from '../test/support/service.ts';
import { findSqld, startServiceOn, startSqld, type Sqld } from '../test/support/sqld.ts';

const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 50);
const senders = 2000;
const recipients = 50;

interface Figures { label: string; decisions: number; perSecond: number; errors: number; p50: number; p99: number; note?: string }

async function run(label: string, instances: TestService[]): Promise<Figures> {
  for (let i = 0; i < recipients; i++) {
    const res = await instances[0].call('PUT', `/v1/accounts/bench-r${i}`, { body: { inbox: 'everyone' } });
    if (res.status !== 200) throw new Error(`${label}: setting up bench-r${i}: ${res.status} ${JSON.stringify(res.body)}`);
  }
  // A short warm-up (compiles, opens connections), not counted.
  await Promise.all(instances.map((s, i) => s.call('POST', '/v1/sends', { body: { senderId: `warm-${i}`, recipientIds: ['bench-r0'], text: 'warm-up' } })));

  const latencies: number[] = [];
  const errorSamples: string[] = [];
  let errors = 0;
  let issued = 0;
  const deadline = performance.now() + seconds * 1000;
  const started = performance.now();
  const loop = async (worker: number) => {
    const instance = instances[worker % instances.length];
    while (performance.now() < deadline) {
      const n = issued++;
      const t = performance.now();
      try {
        const res = await instance.call('POST', '/v1/sends', {
          body: { senderId: `bench-s${n % senders}`, recipientIds: [`bench-r${n % recipients}`], text: `bench ${label} ${n}` },
        });
        if (res.status !== 200 || res.body.decision !== 'allow') {
          errors++;
          if (errorSamples.length < 3) errorSamples.push(`${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
        } else latencies.push(performance.now() - t);
      } catch (error) {
        errors++;
        if (errorSamples.length < 3) errorSamples.push(String(error));
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, (_, w) => loop(w)));
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((x, y) => x - y);
  const pct = (p: number) => latencies.length ? latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] : NaN;
  return {
    label, decisions: latencies.length, perSecond: latencies.length / elapsed, errors, p50: pct(0.5), p99: pct(0.99),
    note: errorSamples.length ? `errors, e.g. ${errorSamples[0]}` : undefined,
  };
}

/** Median round trip of `select 1` through @libsql/client at `url`. */
async function roundTrip(url: string): Promise<number> {
  const client = createClient({ url });
  try {
    await client.execute('select 1');
    const times: number[] = [];
    for (let i = 0; i < 200; i++) {
      const t = performance.now();
      await client.execute('select 1');
      times.push(performance.now() - t);
    }
    times.sort((x, y) => x - y);
    return times[100];
  } finally {
    client.close();
  }
}

async function withInstances<T>(url: string, count: number, body: (instances: TestService[]) => Promise<T>): Promise<T> {
  const instances: TestService[] = [];
  try {
    // One after the other: the first migrates, the next find the schema in place.
    for (let i = 0; i < count; i++) instances.push(await startServiceOn(url, { preset: 'x-2023', clientClock: false }));
    return await body(instances);
  } finally {
    for (const s of instances.reverse()) await s.close();
  }
}

async function onSqld<T>(body: (server: Sqld) => Promise<T>): Promise<T> {
  const server = await startSqld();
  try {
    return await body(server);
  } finally {
    await server.stop();
  }
}

const results: Figures[] = [];
const dir = mkdtempSync(join(tmpdir(), 'dm-policy-bench-sqld-'));
try {
  console.log(`decisions/s, POST /v1/sends (allowed, recorded), ${concurrency} concurrent loops, ${seconds} s each\n`);
  results.push(await withInstances(`file:${join(dir, 'bench.db')}`, 1, (s) => run('1 instance, file', s)));

  const binary = findSqld();
  if (!binary.path) {
    console.log(`sqld runs skipped: ${binary.missing}`);
  } else {
    const trips = await onSqld(async (server) => ({
      http: await roundTrip(server.url),
      ws: await roundTrip(server.url.replace('http:', 'ws:')),
    }));
    results.push(await onSqld((server) => withInstances(server.url, 1, (s) => run('1 instance, sqld http://', s))));
    results.push(await onSqld((server) => withInstances(server.url, 2, (s) => run('2 instances, sqld http://', s))));
    results.push(await onSqld((server) => withInstances(server.url.replace('http:', 'ws:'), 1, (s) => run('1 instance, sqld ws://', s))));
    results.push(await onSqld((server) => withInstances(server.url.replace('http:', 'ws:'), 2, (s) => run('2 instances, sqld ws://', s))));
    console.log(`round trip of one statement (median): sqld http:// ${trips.http.toFixed(2)} ms, ws:// ${trips.ws.toFixed(2)} ms`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const base = results[0].perSecond;
console.log('');
console.log('| run | decisions/s | vs file | p50 ms | p99 ms | errors |');
console.log('|---|---:|---:|---:|---:|---:|');
for (const r of results) {
  console.log(`| ${r.label} | ${r.perSecond.toFixed(0)} | ${(r.perSecond / base).toFixed(3)} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} | ${r.errors} |`);
}
for (const r of results) if (r.note) console.log(`${r.label}: ${r.note}`);
