/**
 * Keeps this instance's in-memory policy state in step with the database when several instances
 * share one (a libSQL server): every `intervalMs` it reads which version is active and which
 * experiment runs, and when either differs from memory it switches the registries. A publish,
 * rollback or experiment start/stop on another instance thus reaches this one within one interval;
 * on the instance that made the change it applies at once, as before.
 *
 * The database is the truth: any divergence (a failed read, a race with a local change) is repaired
 * by the next tick. A tick that overlaps a local change skips, since the local change is at least as fresh.
 */
import { and, eq, sql } from 'drizzle-orm';
import type { Store } from '../../db/client.ts';
import { experiments as experimentsTable, policyVersions } from '../../db/schema.ts';
import { findRunningExperiment } from '../../db/stores/experiments.ts';
import type { ExperimentRegistry } from '../lifecycle/experiments/registry.ts';
import { policyName, type PolicyRegistry } from './registry.ts';

export interface PolicySync {
  /** Runs one comparison now (tests; also what each tick does). */
  tick(): Promise<void>;
  /** Stops polling and waits for a tick in progress. */
  stop(): Promise<void>;
}

interface Options {
  store: Store;
  policies: PolicyRegistry;
  experiments: ExperimentRegistry;
  /** 0 disables polling (tick() still works). */
  intervalMs: number;
  onError?: (error: unknown) => void;
}

/** The running experiment's id as this instance knows it (any sender gets an assignment while one runs). */
const runningId = (experiments: ExperimentRegistry) => experiments.assign('')?.experimentId ?? null;

export function startPolicySync(options: Options): PolicySync {
  const { store, policies, experiments, intervalMs } = options;
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  let inFlight: Promise<void> | null = null;
  let failing = false;

  const compare = async () => {
    const policyBefore = policies.active();
    const experimentBefore = runningId(experiments);
    const [row] = await store.db.all<{ version: string | null; experiment: string | null }>(sql`
      select
        (select ${policyVersions.version} from ${policyVersions}
          where ${and(eq(policyVersions.policy, policyName), eq(policyVersions.status, 'active'))} limit 1) as version,
        (select ${experimentsTable.id} from ${experimentsTable}
          where ${and(eq(experimentsTable.policy, policyName), eq(experimentsTable.status, 'running'))} limit 1) as experiment`);
    if (stopped) return;

    if (row?.version && row.version !== policyBefore.version) {
      await policies.version(row.version); // compile (and cache) first, so the switch below is immediate
      if (!stopped && policies.active() === policyBefore) await policies.activate(row.version);
    }

    const experiment = row?.experiment ?? null;
    if (experiment !== experimentBefore && runningId(experiments) === experimentBefore) {
      if (experiment === null) {
        if (experimentBefore) experiments.uninstall(experimentBefore);
      } else {
        const stored = await findRunningExperiment(store.db, policyName);
        if (!stopped && stored?.id === experiment && runningId(experiments) === experimentBefore) await experiments.install(stored);
      }
    }
  };

  const tick = (): Promise<void> => {
    if (inFlight) return inFlight;
    inFlight = compare()
      .then(() => { failing = false; })
      .catch((error) => {
        // Reported once per streak of failures; the next tick tries again.
        if (!failing) (options.onError ?? ((e) => console.warn(`policy sync: ${e instanceof Error ? e.message : e}`)))(error);
        failing = true;
      })
      .finally(() => { inFlight = null; });
    return inFlight;
  };

  const schedule = () => {
    if (stopped || intervalMs <= 0) return;
    timer = setTimeout(() => { void tick().finally(schedule); }, intervalMs);
    timer.unref();
  };
  schedule();

  return {
    tick,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      await inFlight;
    },
  };
}
