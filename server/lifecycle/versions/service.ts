/**
 * The policy lifecycle (DESIGN §3): drafts copied from any version, edits checked before they are
 * saved, a second person's approval, publishing guarded by the version's policy tests, rollback —
 * each change one writer transaction with its audit entry.
 */
import type { Store } from '../../../db/client.ts';
import { appendAudit } from '../../../db/stores/audit.ts';
import {
  approveDraft, draftEditors, findActiveVersion, findVersion, insertVersionIfAbsent, listVersions, makeActive, updateDraft,
  type VersionRow,
} from '../../../db/stores/policies.ts';
import { ApiError } from '../../http/errors.ts';
import type { PolicyDocument } from '../../policy/document.ts';
import { validateDocument } from '../../policy/validate.ts';
import { loadPolicy, policyName, type LoadedPolicy, type PolicyRegistry } from '../../policy/registry.ts';
import { diffDocuments, diffTests, type VersionDiff } from './diff.ts';
import { iso } from '../../http/responses.ts';
import { applyDraftEdit, type DraftEdit, type EditProblem } from './draft-edit.ts';
import { checkPolicyTests, describeFailures, runPolicyTests, type PolicyTest, type PolicyTestReport } from './policy-tests.ts';

/** A refusal that carries more than code, message and path (the failing tests, every validation error). */
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
  testCount: number;
}

export interface VersionDetail extends VersionSummary {
  document: PolicyDocument;
  tests: PolicyTest[];
}

export interface Actor {
  name: string;
  now: number;
}


function summary(row: VersionRow): VersionSummary {
  return {
    policy: row.policy, version: row.version, status: row.status, description: (row.document as PolicyDocument).description,
    author: row.author, basedOn: row.basedOn, createdAt: iso(row.createdAt)!, updatedAt: iso(row.updatedAt), publishedAt: iso(row.publishedAt),
    approvedBy: row.approvedBy, approvedAt: iso(row.approvedAt), testCount: row.tests.length,
  };
}

function detail(row: VersionRow): VersionDetail {
  return { ...summary(row), document: row.document as PolicyDocument, tests: row.tests as PolicyTest[] };
}

const unknownVersion = (version: string, path: string) => new ApiError(404, 'unknown_version', `policy ${policyName} has no version "${version}"`, path);

function editRefusal(errors: EditProblem[]): ApiError {
  const first = errors[0];
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more problem${errors.length > 2 ? 's' : ''}: see errors)` : '';
  return new ApiError(400, first.code, `${first.message}${more}`, first.path, { errors });
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

  async list(policy: string): Promise<{ policy: string; active: string | null; versions: VersionSummary[] }> {
    this.checkPolicy(policy);
    const rows = await listVersions(this.store.db, policy);
    return { policy, active: rows.find((r) => r.status === 'active')?.version ?? null, versions: rows.map(summary) };
  }

  async get(policy: string, version: string): Promise<VersionDetail> {
    return detail(await this.row(policy, version));
  }

  /** `from` defaults to the active version. */
  async diff(policy: string, from: string | undefined, to: string): Promise<VersionDiff> {
    this.checkPolicy(policy);
    const a = from === undefined ? await findActiveVersion(this.store.db, policy) : await this.row(policy, from, 'query.from');
    if (!a) throw new ApiError(404, 'unknown_version', `policy ${policy} has no active version to diff from`, 'query.from');
    const b = await this.row(policy, to, 'query.to');
    return diffDocuments(a.document as PolicyDocument, b.document as PolicyDocument);
  }

  /** A draft copy of any version (document and tests), named `<from>-draft-<n>` unless named. */
  createDraft(policy: string, input: { from: string; version?: string; reason?: string }, actor: Actor): Promise<VersionDetail> {
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
      const validated = validateDocument({ ...(source.document as PolicyDocument), version: name });
      if (!validated.ok) {
        const first = validated.errors[0];
        throw new ApiError(400, 'invalid_request', `a draft of ${input.from} can't be named "${name}": ${first.path} ${first.message}`, input.version === undefined ? 'body.from' : 'body.version');
      }
      const document = validated.document;
      const row: VersionRow = {
        policy, version: name, document, status: 'draft', author: actor.name, basedOn: source.version, tests: source.tests,
        approvedBy: null, approvedAt: null, createdAt: actor.now, updatedAt: null, publishedAt: null,
      };
      await this.store.writer.write(async (tx) => {
        if (!(await insertVersionIfAbsent(tx, row))) throw new ApiError(409, 'version_exists', `policy ${policy} already has a version "${name}"`, 'body.version');
        await appendAudit(tx, {
          at: actor.now, actor: actor.name, action: 'draft.create', policy, subject: name,
          diff: diffDocuments(source.document as PolicyDocument, document), reason: input.reason ?? null,
        });
      });
      return detail(row);
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
      if (!diff.changed && !tests) return detail(row); // nothing changed: keep the approval, log nothing
      await this.store.writer.write(async (tx) => {
        if (!(await updateDraft(tx, policy, version, { document: result.document, tests: result.tests, now: actor.now }))) {
          throw new ApiError(409, 'immutable_version', `${version} was published meanwhile; published versions are immutable`, 'params.version');
        }
        await appendAudit(tx, { at: actor.now, actor: actor.name, action: 'draft.edit', policy, subject: version, diff: { ...diff, tests }, reason: reason ?? null });
      });
      return detail({ ...row, document: result.document, tests: result.tests, approvedBy: null, approvedAt: null, updatedAt: actor.now });
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
        if (!(await approveDraft(tx, policy, version, { approvedBy: actor.name, now: actor.now, seenUpdatedAt: row.updatedAt }))) {
          throw new ApiError(409, 'draft_changed', `${version} changed while it was being approved; review it again`, 'params.version');
        }
        await appendAudit(tx, { at: actor.now, actor: actor.name, action: 'version.approve', policy, subject: version, reason: reason ?? null });
      });
      return detail({ ...row, approvedBy: actor.name, approvedAt: actor.now });
    });
  }

  /**
   * Publishes a draft: its policy tests must all pass (and, when required, a second person must have
   * approved it); then one transaction retires the active version and activates the draft, and only
   * after it commits does the registry switch, so every decision sees the old version or the new one.
   */
  publish(policy: string, version: string, options: { reason?: string; requireApproval: boolean }, actor: Actor): Promise<{ version: VersionSummary; previous: string | null; tests: { total: number; passed: number } }> {
    return this.exclusive(async () => {
      const row = await this.row(policy, version);
      if (row.status !== 'draft') {
        const hint = row.status === 'active' ? 'it is already active' : 'it was published before: roll back to it instead';
        throw new ApiError(409, 'not_a_draft', `${version} is not a draft; ${hint}`, 'params.version');
      }
      if (options.requireApproval && row.approvedBy === null) {
        throw new ApiError(409, 'approval_required', `${version} needs a second person's approval before it is published`, 'params.version');
      }
      const report = await this.runTests(row);
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
          diff: previous ? diffDocuments(previous.document as PolicyDocument, row.document as PolicyDocument) : null,
        });
      });
      await this.registry.activate(version);
      const published = await findVersion(this.store.db, policy, version);
      return { version: summary(published!), previous: (previous as VersionRow | null)?.version ?? null, tests: { total: report.total, passed: report.passed } };
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
          diff: previous ? diffDocuments(previous.document as PolicyDocument, row.document as PolicyDocument) : null,
        });
      });
      await this.registry.activate(input.version);
      const active = await findVersion(this.store.db, policy, input.version);
      return { version: summary(active!), previous: (previous as VersionRow | null)?.version ?? null };
    });
  }
}
