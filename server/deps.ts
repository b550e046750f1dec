/** What the routers are built from: the store, the configuration they read, and the long-lived services. */
import type { Store } from '../db/client.ts';
import type { Config } from './config.ts';
import type { DecisionService } from './decisions/service.ts';
import type { ExperimentRegistry } from './lifecycle/experiments/registry.ts';
import type { PolicyRegistry } from './policy/registry.ts';
import type { LiveState } from './state/live-state.ts';
import type { Metrics } from './metrics/metrics.ts';

export interface AppDeps {
  store: Store;
  config: Pick<Config, 'clientClock' | 'importIdleMs'>;
  policies: PolicyRegistry;
  experiments: ExperimentRegistry;
  decisions: DecisionService;
  /** The decision state in memory: graph writes update it as they commit. */
  state: LiveState;
  metrics: Metrics;
}
