/** Starting, stopping and reading experiments: each change audited, the running one swapped in memory after commit. */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Store } from '../../../db/client.ts';
import { appendAudit } from '../../../db/stores/audit.ts';
import {
  armDecisionMix, findExperiment, findRunningExperiment, insertExperiment, listExperiments, shadowMix, stopExperiment,
  type Arm, type StoredExperiment,
} from '../../../db/stores/experiments.ts';
import { findVersion } from '../../../db/stores/policies.ts';
import { ApiError } from '../../http/errors.ts';
import type { Outcome } from '../../policy/document.ts';
import { policyName } from '../../policy/registry.ts';
import type { ExperimentRegistry } from './registry.ts';

export interface NewExperiment {
  name: string;
  salt?: string;
  arms: Arm[];
  reason?: string;
}

export interface ArmFigures {
  arm: string;
  version: string;
  shadow: boolean;
  total: number;
  decisions: Record<Outcome, number>;
  reasons: Array<{ outcome: Outcome; reason: string; count: number }>;
  /** Shadow arms only: how often the shadow outcome differed from the enforced one, and how. */
  disagreements?: { total: number; byOutcome: Array<{ enforced: Outcome; shadow: Outcome; enforcedReason: string | null; shadowReason: string | null; count: number }> };
}

export class ExperimentService {
  constructor(private readonly store: Store, private readonly registry: ExperimentRegistry) {}

  list(): Promise<StoredExperiment[]> {
    return listExperiments(this.store.db);
  }

  async get(id: string): Promise<StoredExperiment> {
    const experiment = await findExperiment(this.store.db, id);
    if (!experiment) throw new ApiError(404, 'unknown_experiment', `no experiment ${id}`, 'params.id');
    return experiment;
  }

  /** Starts an experiment; one runs per policy at a time. Enforced arms must be published versions. */
  async start(input: NewExperiment, actor: string, now: number): Promise<StoredExperiment> {
    const experiment: StoredExperiment = {
      id: randomUUID(), name: input.name, policy: policyName, salt: input.salt ?? randomBytes(8).toString('hex'), status: 'running',
      arms: input.arms, createdBy: actor, createdAt: now, stoppedAt: null,
    };
    await this.store.writer.write(async (tx) => {
      if (await findRunningExperiment(tx, policyName)) throw new ApiError(409, 'experiment_running', 'another experiment is running on this policy: stop it first', 'body');
      for (const [i, arm] of input.arms.entries()) {
        const version = await findVersion(tx, policyName, arm.version);
        if (!version) throw new ApiError(400, 'unknown_version', `no version ${arm.version}`, `body.arms[${i}].version`);
        if (version.status === 'draft' && !arm.shadow) {
          throw new ApiError(400, 'draft_not_enforceable', 'a draft can only run in a shadow arm', `body.arms[${i}].version`);
        }
      }
      await insertExperiment(tx, experiment);
      await appendAudit(tx, { at: now, actor, action: 'experiment.start', policy: policyName, subject: experiment.id, diff: { name: experiment.name, arms: experiment.arms }, reason: input.reason ?? null });
    });
    await this.registry.install(experiment);
    return experiment;
  }

  async stop(id: string, actor: string, now: number, reason?: string): Promise<StoredExperiment> {
    await this.store.writer.write(async (tx) => {
      const experiment = await findExperiment(tx, id);
      if (!experiment) throw new ApiError(404, 'unknown_experiment', `no experiment ${id}`, 'params.id');
      if (experiment.status !== 'running') throw new ApiError(409, 'experiment_stopped', 'this experiment is not running', 'params.id');
      await stopExperiment(tx, id, now);
      await appendAudit(tx, { at: now, actor, action: 'experiment.stop', policy: policyName, subject: id, reason: reason ?? null });
    });
    this.registry.uninstall(id);
    return this.get(id);
  }

  /** Per arm: the decision mix and reasons; for shadow arms, where they disagree with what was enforced. */
  async figures(id: string): Promise<ArmFigures[]> {
    const experiment = await this.get(id);
    // The figures are read from what the log indexer builds: give it a moment to fold the latest decisions.
    await this.store.indexer.caughtUp(2000);
    const enforcedMix = await armDecisionMix(this.store.db, experiment.arms.filter((a) => !a.shadow).map((a) => a.name), experiment.createdAt);
    const shadows = await shadowMix(this.store.db, id);
    return experiment.arms.map((arm) => {
      const rows = arm.shadow
        ? shadows.filter((r) => r.arm === arm.name).map((r) => ({ outcome: r.decision as Outcome, reason: r.reason ?? '', count: Number(r.count) }))
        : enforcedMix.filter((r) => r.arm === arm.name).map((r) => ({ outcome: r.outcome as Outcome, reason: r.reason, count: Number(r.count) }));
      const figures: ArmFigures = { arm: arm.name, version: arm.version, shadow: arm.shadow, total: 0, decisions: { allow: 0, request: 0, deny: 0, limit: 0 }, reasons: [] };
      const reasons = new Map<string, { outcome: Outcome; reason: string; count: number }>();
      for (const r of rows) {
        figures.total += r.count;
        figures.decisions[r.outcome] = (figures.decisions[r.outcome] ?? 0) + r.count;
        const key = `${r.outcome}/${r.reason}`;
        reasons.set(key, { outcome: r.outcome, reason: r.reason, count: (reasons.get(key)?.count ?? 0) + r.count });
      }
      figures.reasons = [...reasons.values()].sort((a, b) => b.count - a.count);
      if (arm.shadow) {
        const differing = shadows.filter((r) => r.arm === arm.name && (r.decision !== r.enforcedDecision || r.reason !== r.enforcedReason))
          .map((r) => ({ enforced: r.enforcedDecision as Outcome, shadow: r.decision as Outcome, enforcedReason: r.enforcedReason, shadowReason: r.reason, count: Number(r.count) }))
          .sort((a, b) => b.count - a.count);
        figures.disagreements = { total: differing.reduce((n, r) => n + r.count, 0), byOutcome: differing };
      }
      return figures;
    });
  }
}
