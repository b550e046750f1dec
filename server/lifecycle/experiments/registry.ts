/** The running experiment, kept in memory with its arms' versions loaded, for the decision path. */
import type { Store } from '../../../db/client.ts';
import { findRunningExperiment, type StoredExperiment } from '../../../db/stores/experiments.ts';
import { policyName, type LoadedPolicy, type PolicyRegistry } from '../../policy/registry.ts';
import { bucketOf, pickArm } from './assignment.ts';

export interface ArmPolicy {
  name: string;
  weight: number;
  shadow: boolean;
  policy: LoadedPolicy;
}

export interface RunningExperiment {
  id: string;
  salt: string;
  enforced: ArmPolicy[];
  shadows: ArmPolicy[];
}

export interface Assignment {
  experimentId: string;
  arm: ArmPolicy;
  shadows: ArmPolicy[];
}

export class ExperimentRegistry {
  private running: RunningExperiment | null = null;

  constructor(private readonly policies: PolicyRegistry) {}

  static async open(store: Store, policies: PolicyRegistry): Promise<ExperimentRegistry> {
    const registry = new ExperimentRegistry(policies);
    const running = await findRunningExperiment(store.db, policyName);
    if (running) await registry.install(running);
    return registry;
  }

  /** Loads every arm's version, then swaps the experiment in at once. */
  async install(experiment: StoredExperiment): Promise<void> {
    const arms: ArmPolicy[] = [];
    for (const arm of experiment.arms) {
      const policy = await this.policies.version(arm.version);
      if (!policy) throw new Error(`experiment ${experiment.id}: no version ${arm.version}`);
      arms.push({ name: arm.name, weight: arm.weight, shadow: arm.shadow, policy });
    }
    this.running = { id: experiment.id, salt: experiment.salt, enforced: arms.filter((a) => !a.shadow), shadows: arms.filter((a) => a.shadow) };
  }

  uninstall(experimentId: string): void {
    if (this.running?.id === experimentId) this.running = null;
  }

  /** The sender's arm in the running experiment, or null when none runs. */
  assign(senderId: string): Assignment | null {
    const running = this.running;
    if (!running) return null;
    return { experimentId: running.id, arm: pickArm(running.enforced, bucketOf(running.salt, senderId)), shadows: running.shadows };
  }
}
