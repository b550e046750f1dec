/**
 * The policy lifecycle (DESIGN §3): drafts copied from any version, edits checked before they are
 * saved, approval when the policy (or a shrinking test list) requires it, publishing guarded by the
 * version's policy tests through both evaluators, rollback — each change one writer transaction with
 * its audit entry.
 */
import type { Store } from '../../../db/client.ts';
import { appendAudit } from '../../../db/stores/audit.ts';
import { findRunningExperiment } from '../../../db/stores/experiments.ts';
import { listOperators } from '../../../db/stores/operators.ts';
import {
  approveDraft, deleteDraft, draftEditors, findActiveVersion, findVersion, insertVersionIfAbsent, listVersions, makeActive, updateDraft,
  type VersionRow,
} from '../../../db/stores/policies.ts';
import { readPolicySettings, writePolicySettings, type PolicySettings } from '../../../db/stores/policy-settings.ts';
import { ApiError } from '../../http/errors.ts';
import type { PolicyDocument } from '../../policy/document.ts';
import { validateDocument } from '../../policy/validate.ts';
import { loadPolicy, policyName, type LoadedPolicy, type PolicyRegistry } from '../../policy/registry.ts';
import { compareTests, diffDocuments, diffTests, type TestsComparison, type VersionDiff } from './diff.ts';
import { iso } from '../../http/responses.ts';
import { approvalState, describeCauses, type ApprovalState } from './approval.ts';
import { applyDraftEdit, type DraftEdit, type EditProblem } from './draft-edit.ts';
import {
  checkPolicyTests, describeDisagreements, describeFailures, runPolicyTests, type PolicyTest, type PolicyTestReport,
} from './policy-tests.ts';

export interface VersionSummary {
  policy: string;
  version: string;
  status: VersionRow['status'];
  description: string;
  author: string;
  basedOn: string | null;
  createdAt: string;
  updatedAt: string | null;
  publishedAt: string | null;
  approvedBy: string | null;
  approvedAt: string | null;
  /** Why the approver approved, as they wrote it. */
  approvalReason: string | null;
  /** For a draft: whether it needs approval, why, whether it has it, and who may give it; null otherwise. */
  approval: ApprovalState | null;
  testCount: number;
}

export interface VersionDetail extends VersionSummary {
  document: PolicyDocument;
  tests: PolicyTest[];
}

/** Two versions compared: the documents, and their policy tests. */
export interface VersionComparison extends VersionDiff {
  tests: TestsComparison;
}

export interface Actor {
  name: string;
  now: number;
}

export interface SettingsView {
  policy: string;
  requireApproval: boolean;
  updatedBy: string | null;
  updatedAt: string | null;
}

const settingsView = (s: PolicySettings): SettingsView => ({ policy: s.policy, requireApproval: s.requireApproval, updatedBy: s.updatedBy, updatedAt: iso(s.updatedAt) });

const unknownVersion = (version: string, path: string) => new ApiError(404, 'unknown_version', `policy ${policyName} has no version "${version}"`, path);

function editRefusal(errors: EditProblem[]): ApiError {
  const first = errors[0];
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more problem${errors.length > 2 ? 's' : ''}: see errors)` : '';
  return new ApiError(400, first.code, `${first.message}${more}`, first.path, { errors });
}

/** Documents and tests of two versions compared. */
function compare(a: VersionRow, b: VersionRow): VersionComparison {
  const documents = diffDocuments(a.document as PolicyDocument, b.document as PolicyDocument);
  const tests = compareTests(a.tests as PolicyTest[], b.tests as PolicyTest[]);
  const testsChanged = tests.added.length + tests.removed.length + tests.changed.length > 0;
  return { ...documents, changed: documents.changed || testsChanged, tests };
}

export class VersionService {
  /** Lifecycle changes run one at a time, so an activation never overtakes the transaction before it. */
  private tail: Promise<unknown> = Promise.resolve();

  constructor(private readonly store: Store, private readonly registry: PolicyRegistry) {}

  private exclusive<T>(run: () => Promise<T>): Promise<T> {
    const result = this.tail.then(run, run);
    this.tail = result.catch(() => undefined);
    return result;
  }

  /** The registry serves one policy; any other name is unknown. */
  private checkPolicy(policy: string): void {
    if (policy !== policyName) throw new ApiError(404, 'unknown_policy', `there is no policy "${policy}"; policies: ${policyName}`, 'params.policy');
  }

  private async row(policy: string, version: string, path = 'params.version'): Promise<VersionRow> {
    this.checkPolicy(policy);
    const row = await findVersion(this.store.db, policy, version);
    if (!row) throw unknownVersion(version, path);
    return row;
  }

  /** The approval a draft needs and has; null for a published version. */
  private async approvalOf(row: VersionRow, settings?: PolicySettings): Promise<ApprovalState | null> {
    if (row.status !== 'draft') return null;
    const db = this.store.db;
    const [policySettings, basedOn, editors, operators] = await Promise.all([
      settings ?? readPolicySettings(db, row.policy),
      row.basedOn === null ? null : findVersion(db, row.policy, row.basedOn),
      draftEditors(db, row.policy, row.version),
      listOperators(db),
    ]);
    return approvalState({
      requireApproval: policySettings.requireApproval, testCount: row.tests.length, basedOnTestCount: basedOn ? basedOn.tests.length : null,
      approvedBy: row.approvedBy, author: row.author, editors, operators,
    });
  }

  private async summary(row: VersionRow, settings?: PolicySettings): Promise<VersionSummary> {
    return {
      policy: row.policy, version: row.version, status: row.status, description: (row.document as PolicyDocument).description,
      author: row.author, basedOn: row.basedOn, createdAt: iso(row.createdAt)!, updatedAt: iso(row.updatedAt), publishedAt: iso(row.publishedAt),
      approvedBy: row.approvedBy, approvedAt: iso(row.approvedAt), approvalReason: row.approvalReason,
      approval: await this.approvalOf(row, settings), testCount: row.tests.length,
    };
  }

  private async detail(row: VersionRow): Promise<VersionDetail> {
    return { ...(await this.summary(row)), document: row.document as PolicyDocument, tests: row.tests as PolicyTest[] };
  }

  async list(policy: string): Promise<{ policy: string; active: string | null; versions: VersionSummary[] }> {
    this.checkPolicy(policy);
    const rows = await listVersions(this.store.db, policy);
    const settings = await readPolicySettings(this.store.db, policy);
    const versions = await Promise.all(rows.map((row) => this.summary(row, settings)));
    return { policy, active: rows.find((r) => r.status === 'active')?.version ?? null, versions };
  }

  async get(policy: string, version: string): Promise<VersionDetail> {
    return this.detail(await this.row(policy, version));
  }

  /** Documents and policy tests compared; `from` defaults to the active version. */
  async diff(policy: string, from: string | undefined, to: string): Promise<VersionComparison> {
    this.checkPolicy(policy);
    const a = from === undefined ? await findActiveVersion(this.store.db, policy) : await this.row(policy, from, 'query.from');
    if (!a) throw new ApiError(404, 'unknown_version', `policy ${policy} has no active version to diff from`, 'query.from');
    const b = await this.row(policy, to, 'query.to');
    return compare(a, b);
  }

  async settings(policy: string): Promise<SettingsView> {
    this.checkPolicy(policy);
    return settingsView(await readPolicySettings(this.store.db, policy));
  }

  /** Changes the policy's settings (an admin's call, enforced by the route), audited with the reason. */
  updateSettings(policy: string, change: { requireApproval: boolean; reason?: string }, actor: Actor): Promise<SettingsView> {
    return this.exclusive(async () => {
      this.checkPolicy(policy);
      const before = await readPolicySettings(this.store.db, policy);
      if (before.requireApproval === change.requireApproval) return settingsView(before);
      const after: PolicySettings = { policy, requireApproval: change.requireApproval, updatedBy: actor.name, updatedAt: actor.now };
      await this.store.writer.write(async (tx) => {
        await writePolicySettings(tx, { policy, requireApproval: change.requireApproval, updatedBy: actor.name, updatedAt: actor.now });
        await appendAudit(tx, {
          at: actor.now, actor: actor.name, action: 'policy.settings', policy, subject: policy, reason: change.reason ?? null,
          diff: { requireApproval: { from: before.requireApproval, to: change.requireApproval } },
        });
      });
      return settingsView(after);
    });
  }

  /** A draft copy of any version (document and tests), named `<from>-draft-<n>` unless named. */
  createDraft(policy: string, input: { from: string; version?: string; description?: string; reason?: string }, actor: Actor): Promise<VersionDetail> {
    return this.exclusive(async () => {
      const source = await this.row(policy, input.from, 'body.from');
      const existing = new Set((await listVersions(this.store.db, policy)).map((r) => r.version));
      let name = input.version;
      if (name === undefined) {
        let n = 1;
        while (existing.has(`${input.from}-draft-${n}`)) n += 1;
        name = `${input.from}-draft-${n}`;
      } else if (existing.has(name)) {
        throw new ApiError(409, 'version_exists', `policy ${policy} already has a version "${name}"`, 'body.version');
      }
      const described = input.description === undefined ? {} : { description: input.description };
      const validated = validateDocument({ ...(source.document as PolicyDocument), version: name, ...described });
      if (!validated.ok) {
        const first = validated.errors[0];
        throw new ApiError(400, 'invalid_request', `a draft of ${input.from} can't be named "${name}": ${first.path} ${first.message}`, input.version === undefined ? 'body.from' : 'body.version');
      }
      const document = validated.document;
      const row: VersionRow = {
        policy, version: name, document, status: 'draft', author: actor.name, basedOn: source.version, tests: source.tests,
        approvedBy: null, approvedAt: null, approvalReason: null, createdAt: actor.now, updatedAt: null, publishedAt: null,
      };
      await this.store.writer.write(async (tx) => {
        if (!(await insertVersionIfAbsent(tx, row))) throw new ApiError(409, 'version_exists', `policy ${policy} already has a version "${name}"`, 'body.version');
        await appendAudit(tx, {
          at: actor.now, actor: actor.name, action: 'draft.create', policy, subject: name,
          diff: diffDocuments(source.document as PolicyDocument, document), reason: input.reason ?? null,
        });
      });
      return this.detail(row);
    });
  }

  /** Deletes a draft nobody runs in an experiment; published versions stay (rollback needs them). */
  deleteDraft(policy: string, version: string, reason: string | undefined, actor: Actor): Promise<{ deleted: string }> {
    return this.exclusive(async () => {
      const row = await this.row(policy, version);
      if (row.status !== 'draft') {
        throw new ApiError(409, 'immutable_version', `${version} is ${row.status === 'active' ? 'the active version' : 'published'}; only a draft is deleted`, 'params.version');
      }
      const running = await findRunningExperiment(this.store.db, policy);
      if (running && (running.arms as Array<{ version: string }>).some((arm) => arm.version === version)) {
        throw new ApiError(409, 'draft_in_experiment', `${version} is an arm of the running experiment "${running.name}": stop it first`, 'params.version');
      }
      await this.store.writer.write(async (tx) => {
        if (!(await deleteDraft(tx, policy, version))) throw new ApiError(409, 'immutable_version', `${version} was published meanwhile`, 'params.version');
        await appendAudit(tx, {
          at: actor.now, actor: actor.name, action: 'draft.delete', policy, subject: version, reason: reason ?? null,
          diff: { basedOn: row.basedOn, description: (row.document as PolicyDocument).description, tests: row.tests.length },
        });
      });
      return { deleted: version };
    });
  }

  /**
   * Edits a draft. The whole result is checked first — parameter bounds, validateDocument, the tests
   * against the document — and nothing is saved unless all of it passes. A change clears the approval.
   */
  editDraft(policy: string, version: string, edit: DraftEdit, reason: string | undefined, actor: Actor): Promise<VersionDetail> {
    return this.exclusive(async () => {
      const row = await this.row(policy, version);
      if (row.status !== 'draft') {
        throw new ApiError(409, 'immutable_version', `${version} is ${row.status === 'active' ? 'the active version' : 'published'}; published versions are immutable: create a draft from it`, 'params.version');
      }
      const before = row.document as PolicyDocument;
      const result = applyDraftEdit(before, row.tests, edit);
      if (!result.ok) throw editRefusal(result.errors);
      const diff = diffDocuments(before, result.document);
      const tests = diffTests(row.tests as PolicyTest[], result.tests);
      if (!diff.changed && !tests) return this.detail(row); // nothing changed: keep the approval, log nothing
      await this.store.writer.write(async (tx) => {
        if (!(await updateDraft(tx, policy, version, { document: result.document, tests: result.tests, now: actor.now }))) {
          throw new ApiError(409, 'immutable_version', `${version} was published meanwhile; published versions are immutable`, 'params.version');
        }
        await appendAudit(tx, { at: actor.now, actor: actor.name, action: 'draft.edit', policy, subject: version, diff: { ...diff, tests }, reason: reason ?? null });
      });
      return this.detail({ ...row, document: result.document, tests: result.tests, approvedBy: null, approvedAt: null, approvalReason: null, updatedAt: actor.now });
    });
  }

  /** Checks a version (or an edit to it, saving nothing) and reports every problem with its path. */
  async validate(policy: string, version: string, edit: DraftEdit | null): Promise<{ ok: boolean; errors: Array<{ path: string; message: string }> }> {
    const row = await this.row(policy, version);
    if (edit) {
      const result = applyDraftEdit(row.document as PolicyDocument, row.tests, edit);
      return { ok: result.ok, errors: result.ok ? [] : result.errors };
    }
    const validated = validateDocument(row.document);
    if (!validated.ok) return { ok: false, errors: validated.errors };
    const tests = checkPolicyTests(row.tests, validated.document);
    return { ok: tests.ok, errors: tests.ok ? [] : tests.errors };
  }

  /** Runs a version's policy tests, or the tests given (without saving them). */
  async test(policy: string, version: string, given?: unknown[]): Promise<PolicyTestReport> {
    const row = await this.row(policy, version);
    return this.runTests(row, given);
  }

  private async compiled(row: VersionRow): Promise<LoadedPolicy> {
    // Published versions are immutable and the registry keeps them compiled; a draft is compiled as it is now.
    return row.status === 'draft' ? loadPolicy(row.document as PolicyDocument) : (await this.registry.version(row.version))!;
  }

  private async runTests(row: VersionRow, given?: unknown[]): Promise<PolicyTestReport> {
    const checked = checkPolicyTests(given ?? row.tests, row.document as PolicyDocument);
    if (!checked.ok) {
      const first = checked.errors[0];
      const path = given ? `body.${first.path}` : null;
      throw new ApiError(given ? 400 : 409, 'invalid_tests', `${first.path}: ${first.message}`, path, { errors: checked.errors });
    }
    return runPolicyTests(await this.compiled(row), checked.tests);
  }

  /** A second person's approval: not the author, nor anyone who edited the draft. */
  approve(policy: string, version: string, reason: string | undefined, actor: Actor): Promise<VersionDetail> {
    return this.exclusive(async () => {
      const row = await this.row(policy, version);
      if (row.status !== 'draft') throw new ApiError(409, 'not_a_draft', `${version} is ${row.status}; only a draft is approved`, 'params.version');
      if (row.author === actor.name) throw new ApiError(409, 'self_approval', `${actor.name} wrote ${version}; a second person must approve it`, 'headers.Authorization');
      if ((await draftEditors(this.store.db, policy, version)).includes(actor.name)) {
        throw new ApiError(409, 'self_approval', `${actor.name} edited ${version}; a second person must approve it`, 'headers.Authorization');
      }
      await this.store.writer.write(async (tx) => {
        if (!(await approveDraft(tx, policy, version, { approvedBy: actor.name, reason: reason ?? null, now: actor.now, seenUpdatedAt: row.updatedAt }))) {
          throw new ApiError(409, 'draft_changed', `${version} changed while it was being approved; review it again`, 'params.version');
        }
        await appendAudit(tx, { at: actor.now, actor: actor.name, action: 'version.approve', policy, subject: version, reason: reason ?? null });
      });
      return this.detail({ ...row, approvedBy: actor.name, approvedAt: actor.now, approvalReason: reason ?? null });
    });
  }

  /**
   * Publishes a draft. Refused unless it has policy tests, each of them passes, the compiled
   * evaluator (which enforces) decides each as json-rules-engine does, and — when the policy
   * requires it or the draft has fewer tests than its origin — a second person approved it. Then one
   * transaction retires the active version and activates the draft, and only after it commits does
   * the registry switch, so every decision sees the old version or the new one.
   */
  publish(policy: string, version: string, options: { reason?: string }, actor: Actor): Promise<{ version: VersionSummary; previous: string | null; tests: { total: number; passed: number } }> {
    return this.exclusive(async () => {
      const row = await this.row(policy, version);
      if (row.status !== 'draft') {
        const hint = row.status === 'active' ? 'it is already active' : 'it was published before: roll back to it instead';
        throw new ApiError(409, 'not_a_draft', `${version} is not a draft; ${hint}`, 'params.version');
      }
      const approval = (await this.approvalOf(row))!;
      if (approval.required && row.approvedBy === null) {
        const basedOnCount = row.basedOn === null ? null : (await findVersion(this.store.db, policy, row.basedOn))?.tests.length ?? null;
        const why = describeCauses(approval.causes, { count: row.tests.length, basedOn: row.basedOn, basedOnCount });
        const who = approval.approvers.length ? `may approve: ${approval.approvers.join(', ')}` : 'no other publisher or admin can approve it yet';
        throw new ApiError(409, 'approval_required', `${version} needs a second person's approval before it is published: ${why} (${who})`, 'params.version', { approval });
      }
      if (row.tests.length === 0) {
        throw new ApiError(409, 'no_policy_tests', `${version} has no policy tests; a version is published only with tests that show what it decides`, 'params.version');
      }
      const report = await this.runTests(row);
      if (report.disagreements > 0) {
        throw new ApiError(409, 'evaluators_disagree', `the compiled evaluator decides ${report.disagreements} of ${report.total} policy tests otherwise than json-rules-engine: ${describeDisagreements(report)}`, 'params.version', {
          failures: report.results.filter((r) => !r.agree),
        });
      }
      if (report.failed > 0) {
        throw new ApiError(409, 'policy_tests_failed', `${report.failed} of ${report.total} policy tests fail: ${describeFailures(report)}`, 'params.version', {
          failures: report.results.filter((r) => !r.passed),
        });
      }
      let previous: VersionRow | null = null;
      await this.store.writer.write(async (tx) => {
        const current = await findVersion(tx, policy, version);
        if (!current || current.status !== 'draft' || current.updatedAt !== row.updatedAt) {
          throw new ApiError(409, 'draft_changed', `${version} changed while it was being published; publish again`, 'params.version');
        }
        previous = await findActiveVersion(tx, policy);
        if (!(await makeActive(tx, policy, version, { from: 'draft', now: actor.now }))) throw new Error(`draft ${version} vanished inside its publish`);
        await appendAudit(tx, {
          at: actor.now, actor: actor.name, action: 'version.publish', policy, subject: version, reason: options.reason ?? null,
          diff: previous ? compare(previous, row) : null,
        });
      });
      await this.registry.activate(version);
      const published = await findVersion(this.store.db, policy, version);
      return { version: await this.summary(published!), previous: (previous as VersionRow | null)?.version ?? null, tests: { total: report.total, passed: report.passed } };
    });
  }

  /** Re-activates a version that was published before, in one transaction, then switches the registry. */
  rollback(policy: string, input: { version: string; reason?: string }, actor: Actor): Promise<{ version: VersionSummary; previous: string | null }> {
    return this.exclusive(async () => {
      const row = await this.row(policy, input.version, 'body.version');
      if (row.status === 'draft') throw new ApiError(409, 'not_published', `${input.version} is a draft and was never published: publish it instead`, 'body.version');
      if (row.status === 'active') throw new ApiError(409, 'already_active', `${input.version} is already the active version`, 'body.version');
      let previous: VersionRow | null = null;
      await this.store.writer.write(async (tx) => {
        previous = await findActiveVersion(tx, policy);
        if (!(await makeActive(tx, policy, input.version, { from: 'retired', now: actor.now }))) {
          throw new ApiError(409, 'version_changed', `${input.version} changed status meanwhile; try again`, 'body.version');
        }
        await appendAudit(tx, {
          at: actor.now, actor: actor.name, action: 'version.rollback', policy, subject: input.version, reason: input.reason ?? null,
          diff: previous ? compare(previous, row) : null,
        });
      });
      await this.registry.activate(input.version);
      const active = await findVersion(this.store.db, policy, input.version);
      return { version: await this.summary(active!), previous: (previous as VersionRow | null)?.version ?? null };
    });
  }
}
