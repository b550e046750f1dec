/**
 * The load generator, run as a child process by bench/support/load.ts so that it has its own event
 * loop (and, on a 2-core machine, its own core) instead of competing with the server it measures.
 * Reads its options as JSON from argv[2], runs autocannon, and sends the figures back over IPC.
 */
import { createRequire } from 'node:module';
import { shardOf } from '../../server/cluster/shards.ts';
import { sendBodies } from './world.ts';
import type { LoadOptions, LoadFigures } from './load.ts';

const autocannon = createRequire(import.meta.url)('autocannon') as (opts: Record<string, unknown>) => Promise<any>;

const options = JSON.parse(process.argv[2]) as LoadOptions;
const bodies = sendBodies(options.world, options.seed, options.traffic);
const shards = options.senderShards ? new Set(options.senderShards) : null;
const next = shards
  ? () => {
    for (;;) {
      const body = bodies();
      if (shards.has(shardOf((JSON.parse(body) as { senderId: string }).senderId))) return body;
    }
  }
  : bodies;
const cpuBefore = process.cpuUsage();
/** Answers other than 2xx: how many of each status, and the first few bodies, to tell what failed. */
const failures: LoadFigures['failures'] = { byStatus: {}, samples: [] };

const result = await autocannon({
  url: options.url,
  connections: options.connections,
  duration: options.seconds,
  ...(options.ratePerSecond ? { overallRate: options.ratePerSecond } : {}),
  method: 'POST',
  headers: { 'content-type': 'application/json', ...(options.token ? { authorization: `Bearer ${options.token}` } : {}) },
  requests: [{
    setupRequest: (request: { body?: string }) => {
      request.body = next();
      return request;
    },
    onResponse: (status: number, body: string) => {
      if (status >= 200 && status < 300) return;
      failures.byStatus[status] = (failures.byStatus[status] ?? 0) + 1;
      if (failures.samples.length < 3) failures.samples.push(`${status} ${body.slice(0, 300)}`);
    },
  }],
});

const cpu = process.cpuUsage(cpuBefore);
const figures: LoadFigures = {
  requests: result.requests.total,
  ok: result['2xx'],
  non2xx: result.non2xx,
  errors: result.errors,
  timeouts: result.timeouts,
  seconds: result.duration,
  perSecond: result['2xx'] / result.duration,
  latency: { mean: result.latency.mean, p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max },
  generatorCpuSeconds: (cpu.user + cpu.system) / 1e6,
  failures,
};
process.send!(figures, () => process.exit(0));
