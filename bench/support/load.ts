/** Runs autocannon in a child process (bench/support/autocannon-child.ts) and returns its figures. */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Traffic, WorldSize } from './world.ts';

export interface LoadOptions {
  /** Full URL of the endpoint, POSTed to. */
  url: string;
  token?: string;
  connections: number;
  seconds: number;
  /** The world the send bodies are drawn from (see sendBodies). */
  world: WorldSize;
  /** Distinct seeds give distinct senders, recipients and texts. */
  seed: number;
  traffic?: Traffic;
  /**
   * Only senders in these shards (server/cluster/shards.ts): the load a balancer that routes by
   * sender sends to the instance owning them.
   */
  senderShards?: number[];
  /** A fixed offered load, requests a second over all connections; none: as fast as answers come. */
  ratePerSecond?: number;
}

export interface LoadFigures {
  requests: number;
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  seconds: number;
  /** 2xx responses per second. */
  perSecond: number;
  /** Milliseconds of 2xx responses; autocannon's histogram keeps whole milliseconds for percentiles (the mean has decimals). */
  latency: { mean: number; p50: number; p90: number; p99: number; max: number };
  /** CPU time the load generator itself used (user + system), in seconds. */
  generatorCpuSeconds: number;
  /** Answers other than 2xx by status, and the first few of them (status and body). */
  failures: { byStatus: Record<number, number>; samples: string[] };
}

const child = fileURLToPath(new URL('./autocannon-child.ts', import.meta.url));

export function runLoad(options: LoadOptions): Promise<LoadFigures> {
  return new Promise((resolve, reject) => {
    const proc = fork(child, [JSON.stringify(options)], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let figures: LoadFigures | null = null;
    proc.on('message', (m) => { figures = m as LoadFigures; });
    proc.on('error', reject);
    proc.on('exit', (code) => (figures ? resolve(figures) : reject(new Error(`load generator exited with ${code} and no figures`))));
  });
}
