/** The policy versions the service decides with: presets seeded on first start, the active one in memory. */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Store } from '../../db/client.ts';
import { findActiveVersion, findVersion, insertVersionIfAbsent } from '../../db/stores/policies.ts';
import { parameterValues, type ParameterValue, type PolicyDocument } from './document.ts';
import { validateDocument } from './validate.ts';
import { PolicyEngine } from './engine.ts';

export const policyName = 'dm';
export const rulesDir = fileURLToPath(new URL('../../rules/', import.meta.url));
const notPolicies = new Set(['policy.schema.json', 'facts.json']);

/** A validated version ready to decide with. */
export interface LoadedPolicy {
  name: string;
  version: string;
  document: PolicyDocument;
  params: Record<string, ParameterValue>;
  engine: PolicyEngine;
}

export function loadPolicy(document: PolicyDocument): LoadedPolicy {
  return { name: document.name, version: document.version, document, params: parameterValues(document), engine: new PolicyEngine(document) };
}

/** Reads and validates one preset document from rules/; a broken preset stops the start. */
export function readPreset(version: string): PolicyDocument {
  const raw = JSON.parse(readFileSync(`${rulesDir}${version}.json`, 'utf8'));
  const result = validateDocument(raw);
  if (!result.ok) {
    const first = result.errors[0];
    throw new Error(`rules/${version}.json is not a valid policy: ${first.path}: ${first.message}`);
  }
  return result.document;
}

/** The policy tests a preset ships with, from rules/tests/<version>.json (none when the file is absent). */
export function readPresetTests(version: string): unknown[] {
  const file = `${rulesDir}tests/${version}.json`;
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')).tests : [];
}

export function presetVersions(): string[] {
  return readdirSync(rulesDir).filter((f) => f.endsWith('.json') && !notPolicies.has(f)).map((f) => f.slice(0, -'.json'.length)).sort();
}

export class PolicyRegistry {
  private current: LoadedPolicy;
  private readonly loaded = new Map<string, LoadedPolicy>();

  private constructor(private readonly store: Store, active: LoadedPolicy) {
    this.current = active;
    this.loaded.set(active.version, active);
  }

  /**
   * Seeds every preset in rules/ that the database lacks (as published, retired versions) and, on
   * the first start, activates `preset`. Later starts keep whatever version is active.
   */
  static async open(store: Store, options: { preset: string; now: number }): Promise<PolicyRegistry> {
    const presets = presetVersions().map(readPreset);
    if (!presets.some((p) => p.version === options.preset)) throw new Error(`no preset named ${options.preset} in rules/`);
    await store.writer.write(async (tx) => {
      const hasActive = (await findActiveVersion(tx, policyName)) !== null;
      for (const doc of presets) {
        const status = !hasActive && doc.version === options.preset ? 'active' : 'retired';
        await insertVersionIfAbsent(tx, {
          policy: policyName, version: doc.version, document: doc, status, author: 'preset', tests: readPresetTests(doc.version),
          createdAt: options.now, publishedAt: options.now,
        });
      }
    });
    const active = await findActiveVersion(store.db, policyName);
    if (!active) throw new Error(`no active version of policy ${policyName}`);
    return new PolicyRegistry(store, loadPolicy(active.document as PolicyDocument));
  }

  /** The version enforced decisions use right now. */
  active(): LoadedPolicy {
    return this.current;
  }

  /**
   * Makes `version` the one enforced decisions use. Call it only after the transaction that marked
   * the version active has committed: decisions then see the old or the new version, never a mix.
   */
  async activate(version: string): Promise<LoadedPolicy> {
    const policy = await this.version(version);
    if (!policy) throw new Error(`no version ${version} of policy ${policyName}`);
    this.current = policy;
    return policy;
  }

  /**
   * Any stored version. Published versions are immutable, so they are compiled once and kept;
   * drafts change, so they are compiled afresh on every call.
   */
  async version(version: string): Promise<LoadedPolicy | null> {
    const cached = this.loaded.get(version);
    if (cached) return cached;
    const stored = await findVersion(this.store.db, policyName, version);
    if (!stored) return null;
    const policy = loadPolicy(stored.document as PolicyDocument);
    if (stored.status !== 'draft') this.loaded.set(version, policy);
    return policy;
  }
}
