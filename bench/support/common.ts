/** What the benchmarks share: flags, the machine they ran on, a service on a temporary file. */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import type { Config } from '../../server/config.ts';
import { createService, type Service } from '../../server/service.ts';

/** `--name N` or `--name=N`; numbers may be written 1e6 or 1_000_000. */
export function flag(name: string, fallback: number): number {
  const args = process.argv.slice(2);
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === `--${name}` && i + 1 < args.length) return parseNumber(name, args[i + 1]);
    if (a.startsWith(`--${name}=`)) return parseNumber(name, a.slice(name.length + 3));
  }
  return fallback;
}

function parseNumber(name: string, text: string): number {
  const n = Number(text.replaceAll('_', ''));
  if (!Number.isFinite(n) || n < 0) throw new Error(`--${name}: not a number: ${text}`);
  return n;
}

export const thousands = (n: number) => Math.round(n).toLocaleString('en-US');
export const mib = (bytes: number) => `${(bytes / 1024 ** 2).toFixed(0)} MiB`;

/** One line naming the machine and its load right now: the machine is shared, so the load matters. */
export function machineLine(): string {
  const cpus = os.cpus();
  const load = os.loadavg().map((l) => l.toFixed(2)).join(' ');
  // npm start and the bench scripts set it (README, Configuration): a run without it pays ~10 µs for each fresh page here.
  const hugePages = /glibc\.malloc\.hugetlb=1/.test(process.env.GLIBC_TUNABLES ?? '') ? 'on' : 'off';
  return `machine: ${cpus[0]?.model ?? 'unknown CPU'} × ${cpus.length}, ${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB RAM, Node ${process.version}, load average ${load}, malloc huge pages ${hugePages}`;
}

/** Peak resident set size of this process so far (process.resourceUsage().maxRSS is in KiB). */
export const peakRss = () => process.resourceUsage().maxRSS * 1024;

/** The middle value (the mean of the two middle ones for an even count): a figure from rounds on a noisy machine. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export const benchToken = 'bench-admin-token-0123456789';

export interface TempService {
  service: Service;
  url: string;
  dir: string;
  close(): Promise<void>;
}

/** The real service (x-2023, a bootstrap admin token) on a fresh file database, listening on loopback unless told not to. */
export async function startTempService(options: { listen?: boolean } = {}): Promise<TempService> {
  const dir = mkdtempSync(join(os.tmpdir(), 'dm-policy-bench-'));
  const config: Config = {
    port: 0, host: '127.0.0.1', databaseUrl: `file:${join(dir, 'bench.db')}`, preset: 'x-2023', clientClock: false,
    bootstrapToken: benchToken, adminPassword: 'bench-admin-password', busyTimeoutMs: 10_000,
  };
  const service = await createService(config);
  const { url } = options.listen === false ? { url: '' } : await service.listen();
  return {
    service, url, dir,
    async close() {
      await service.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
