/** Fills an empty database with the demo world: the graph through the import, then days of traffic. */
import { nonEmptyPopulationTables, type PopulationTable } from '../../db/stores/demo.ts';
import { applyStagedImport, discardStagedImport, stageImport, stagingFolder, type ImportResult } from '../graph/import.ts';
import { dayMs, utcMidnight } from '../limits/windows.ts';
import type { Service } from '../service.ts';
import { runTraffic, type TrafficProgress, type TrafficSummary } from './traffic.ts';
import { generateWorld, importLines, populationMix, type AccountKind, type World } from './world.ts';

export interface DemoOptions {
  accounts: number;
  days: number;
  seed: number;
  /** The first simulated moment (ms); by default the UTC midnight `days` days before today's. */
  start?: number;
  /** Simulated minutes decided together (see TrafficOptions). */
  windowMinutes?: number;
  onProgress?: (progress: TrafficProgress) => void;
}

export interface DemoSummary {
  seed: number;
  /** The simulated period, ISO-8601. */
  from: string;
  to: string;
  accounts: { total: number; byKind: Record<AccountKind, number> };
  /** Edges loaded with the world, by kind. */
  edges: Omit<ImportResult['imported'], 'accounts'>;
  reactions: TrafficSummary['reactions'];
  attempts: number;
  decisions: TrafficSummary['decisions'];
  reasons: Record<string, number>;
  seconds: number;
}

/** The demo fills only an empty database: its world would otherwise mix with real accounts and sends. */
export class DatabaseNotEmpty extends Error {
  constructor(readonly tables: PopulationTable[]) {
    super(`the database is not empty (it already holds ${tables.join(', ')}): the demo world fills only an empty database — use a new DATABASE_URL`);
    this.name = 'DatabaseNotEmpty';
  }
}

/**
 * The simulated days end at today's UTC midnight, so that the dashboard's recent figures show them.
 * Starting at a midnight keeps calendar days, and so the decisions, the same whatever day it runs.
 */
export function defaultStart(days: number, now = Date.now()): number {
  return utcMidnight(now) - days * dayMs;
}

/** The world as an NDJSON body, the format of `POST /v1/import`. */
function importBody(world: World): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const lines = importLines(world);
  return new ReadableStream({
    pull(controller) {
      let chunk = '';
      for (let next = lines.next(); !next.done; next = lines.next()) {
        chunk += JSON.stringify(next.value) + '\n';
        if (chunk.length > 64 * 1024) break;
      }
      if (chunk) controller.enqueue(encoder.encode(chunk));
      else controller.close();
    },
  });
}

/**
 * Generates the world, loads it and runs its traffic through the decision path. Throws
 * DatabaseNotEmpty, having written nothing, when the database already holds accounts, sends or decisions.
 * @example const summary = await seedDemo(service, { accounts: 2000, days: 3, seed: 42 })
 */
export async function seedDemo(service: Pick<Service, 'store' | 'decisions' | 'state'>, options: DemoOptions): Promise<DemoSummary> {
  const started = performance.now();
  const start = options.start ?? defaultStart(options.days);
  const world = generateWorld({ accounts: options.accounts, seed: options.seed });
  const { store } = service;
  const staged = await stageImport(importBody(world), start - dayMs, { dir: stagingFolder(store) });
  let imported: ImportResult;
  try {
    // The check and the load are one writer job: nothing can slip in between.
    imported = await store.writer.write(async (tx) => {
      const tables = await nonEmptyPopulationTables(tx);
      if (tables.length) throw new DatabaseNotEmpty(tables);
      return applyStagedImport(tx, service.state, staged);
    });
  } finally {
    await discardStagedImport(staged);
  }
  const traffic = await runTraffic(world, service, { start, days: options.days, seed: options.seed, windowMinutes: options.windowMinutes, onProgress: options.onProgress });
  const { accounts, ...edges } = imported.imported;
  return {
    seed: options.seed,
    from: new Date(start).toISOString(),
    to: new Date(start + options.days * dayMs).toISOString(),
    accounts: { total: accounts, byKind: populationMix(options.accounts) },
    edges,
    reactions: traffic.reactions,
    attempts: traffic.attempts,
    decisions: traffic.decisions,
    reasons: Object.fromEntries(Object.entries(traffic.reasons).sort(([, a], [, b]) => b - a)),
    seconds: (performance.now() - started) / 1000,
  };
}

/** Like seedDemo, but an empty result instead of an error when the database is in use (`npm start` with DM_POLICY_DEMO=1). */
export async function seedDemoIfEmpty(service: Pick<Service, 'store' | 'decisions' | 'state'>, options: DemoOptions): Promise<DemoSummary | null> {
  if ((await nonEmptyPopulationTables(service.store.db)).length) return null;
  try {
    return await seedDemo(service, options);
  } catch (error) {
    if (error instanceof DatabaseNotEmpty) return null;
    throw error;
  }
}

const thousands = (n: number) => n.toLocaleString('en-US');

/** One line of progress: the simulated time reached, the attempts so far and their rate. */
export function describeProgress(p: TrafficProgress): string {
  const rate = Math.round(p.attempts / Math.max(p.elapsedMs / 1000, 0.001));
  return `  ${new Date(p.at).toISOString().slice(0, 16).replace('T', ' ')}  ${thousands(p.attempts)} attempts  ${thousands(rate)}/s`;
}

/** The summary as a few lines for a terminal. */
export function describeSummary(s: DemoSummary): string[] {
  const share = (n: number) => `${thousands(n)} (${((100 * n) / Math.max(1, s.attempts)).toFixed(1)}%)`;
  return [
    `demo world (seed ${s.seed}), ${s.from} → ${s.to}`,
    `accounts: ${thousands(s.accounts.total)} — ${Object.entries(s.accounts.byKind).map(([k, n]) => `${k} ${n}`).join(', ')}`,
    `edges: ${Object.entries(s.edges).map(([k, n]) => `${k} ${thousands(n)}`).join(', ')}`,
    `reactions during the traffic: blocks ${s.reactions.blocks}, reports ${s.reactions.reports}, accepted requests ${s.reactions.accepted}`,
    `attempts: ${thousands(s.attempts)} in ${s.seconds.toFixed(1)} s (${thousands(Math.round(s.attempts / s.seconds))}/s)`,
    `decisions: ${Object.entries(s.decisions).map(([k, n]) => `${k} ${share(n)}`).join(', ')}`,
    `reasons: ${Object.entries(s.reasons).map(([k, n]) => `${k} ${thousands(n)}`).join(', ')}`,
  ];
}
