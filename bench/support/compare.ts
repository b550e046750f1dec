/**
 * The side-by-side measurement of issue 4, point 2: a Hono hello-world POST server in this process,
 * then the real service's POST /v1/sends, then the hello world again, each loaded by autocannon in a
 * child process with the same stream of send bodies. The ratio uses the mean of the two hello-world
 * runs, since the machine is shared and its load drifts.
 */
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { sql } from 'drizzle-orm';
import type { Service } from '../../server/service.ts';
import { benchToken, mib, peakRss, thousands } from './common.ts';
import { runLoad, type LoadFigures } from './load.ts';
import type { WorldSize } from './world.ts';

export interface CompareOptions {
  service: Service;
  /** The service's base URL. */
  url: string;
  world: WorldSize;
  connections: number;
  seconds: number;
  /** Seconds of unmeasured load on each server first (JIT, caches, connections). */
  warmup: number;
}

export interface Comparison {
  hello: [LoadFigures, LoadFigures];
  sends: LoadFigures;
  ratio: number;
}

export async function compareWithHelloWorld(o: CompareOptions): Promise<Comparison> {
  const app = new Hono();
  app.post('/x', (c) => c.json({ ok: true }));
  let hello: ServerType | null = null;
  const helloUrl = await new Promise<string>((resolve) => {
    hello = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => resolve(`http://127.0.0.1:${info.port}/x`));
  });
  try {
    const sendsUrl = `${o.url}/v1/sends`;
    let seed = 1;
    const run = (url: string, secs: number) => runLoad({ url, token: benchToken, connections: o.connections, seconds: secs, world: o.world, seed: seed++ });
    const show = (label: string, f: LoadFigures, startedAt: number) => console.log(
      `  ${label.padEnd(22)} ${thousands(f.perSecond).padStart(7)} req/s   p50 ${f.latency.p50} ms   p90 ${f.latency.p90} ms   p99 ${f.latency.p99} ms   max ${f.latency.max} ms   `
      + `(${thousands(f.ok)} ok, ${f.non2xx} non-2xx, ${f.errors} errors; t=${(startedAt / 1000).toFixed(1)}–${(performance.now() / 1000).toFixed(1)} s)`,
    );

    if (o.warmup > 0) {
      await run(helloUrl, o.warmup);
      await run(sendsUrl, o.warmup);
      console.log(`  warm-up: ${o.warmup} s on each server, not counted`);
    }
    let t = performance.now();
    const hello1 = await run(helloUrl, o.seconds);
    show('hello world (before)', hello1, t);
    const sendsFrom = Date.now();
    t = performance.now();
    const sends = await run(sendsUrl, o.seconds);
    show('POST /v1/sends', sends, t);
    const sendsTo = Date.now();
    t = performance.now();
    const hello2 = await run(helloUrl, o.seconds);
    show('hello world (after)', hello2, t);

    const ratio = sends.perSecond / ((hello1.perSecond + hello2.perSecond) / 2);
    const p99 = sends.latency.p99;
    console.log(`  decisions/s ÷ hello-world/s: ${ratio.toFixed(3)} (target ≥ 0.5: ${ratio >= 0.5 ? 'met' : 'NOT met'})`);
    console.log(`  decision p99: ${p99} ms (target < 10 ms: ${p99 < 10 ? 'met' : 'NOT met'})`);

    // What the measured attempts were decided: neither the cap nor duplicates should dominate.
    const mix = await o.service.store.db.all<{ decision: string; reason: string; n: number }>(sql`select decision, reason, count(*) as n
      from decision_log where at >= ${sendsFrom} and at <= ${sendsTo} group by decision, reason order by n desc`);
    const total = mix.reduce((s, r) => s + Number(r.n), 0);
    console.log(`  decisions logged during the run: ${thousands(total)} — ${mix.slice(0, 8).map((r) => `${r.decision}/${r.reason} ${(100 * Number(r.n) / Math.max(total, 1)).toFixed(1)}%`).join(', ')}`);
    const mem = process.memoryUsage();
    console.log(`  service process: rss ${mib(mem.rss)}, heap used ${mib(mem.heapUsed)}, peak rss ${mib(peakRss())}`);
    return { hello: [hello1, hello2], sends, ratio };
  } finally {
    if (hello) await new Promise<void>((resolve) => hello!.close(() => resolve()));
  }
}
