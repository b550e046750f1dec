/**
 * Rebuilds the in-memory decision state from libSQL, at start and after a batch that did not commit:
 * the graph's tables; the pair history and groups as the log indexer folded them (up to its
 * watermarks); and the log's rows since — for the windows, its last 24 hours (no window is longer).
 */
import { readSnapshot, type Store } from '../../db/client.ts';
import { type Executor } from '../../db/executor.ts';
import {
  firstSeqFrom, historySizes, latestLoggedAt, latestSeq, readLogIndex, scanEdges, scanEdgesOnThread, scanLog, scanPairHistory, scanTable, type EdgeTable,
} from '../../db/stores/world-history.ts';
import type { IdempotencyMemory } from '../decisions/idempotency.ts';
import type { EdgeKind } from '../graph/social-graph.ts';
import { NamedAccounts } from './numbering.ts';
import { DecisionWorld, type RecordedDecision } from './world.ts';

const bool = (v: unknown) => v === 1 || v === 1n || v === true;
const num = (v: unknown) => Number(v);
const json = <T>(v: unknown): T => JSON.parse(String(v)) as T;

export interface RebuildFigures {
  accounts: number;
  graphEdges: number;
  conversationPairs: number;
  logRows: number;
  ms: number;
}

export interface RebuildOptions {
  /**
   * On a local file whose graph holds at least this many edges, read them (follows, blocks, welcome
   * messages: most of what a rebuild reads at millions of edges) on a thread of their own while this
   * one builds the state from them; unset, never. Their pages are not read in the rebuild's
   * snapshot: only where nothing can write the graph meanwhile — at start, before the service takes
   * any request. Each table's thread costs ~50–70 ms to start, which a small graph does not repay.
   */
  edgesOnThreadFrom?: number;
}

/** A fresh state from what is committed; the idempotency answers not yet indexed go to `idempotency`. */
export async function rebuildWorld(
  store: Pick<Store, 'client' | 'localPath'>, idempotency: IdempotencyMemory, options: RebuildOptions = {},
): Promise<{ world: DecisionWorld; figures: RebuildFigures }> {
  const started = performance.now();
  return readSnapshot(store, async (db) => {
    const sizes = await historySizes(db);
    const world = new DecisionWorld(sizes);
    const onThread = store.localPath !== null && options.edgesOnThreadFrom !== undefined && sizes.graphPairs >= options.edgesOnThreadFrom;
    const graphEdges = await loadGraph(db, world, onThread ? store.localPath : null);
    const accounts = world.accounts.size;
    const conversationPairs = await scanPairHistory(db, ([, s, r, at, seq, added, reset]) => {
      const pair = world.conversations.of(world.accounts.of(String(s)), world.accounts.of(String(r)));
      world.pairHistory.foldBucket(pair, at === null ? null : num(at), seq === null ? null : num(seq), num(added), bool(reset));
    });
    const groups = new Map<string, { creatorId: string; members: string[] }>();
    await scanTable(db, 'conversations', 'id, creator_id', ([, id, creator]) => groups.set(String(id), { creatorId: String(creator), members: [] }), "kind = 'group'");
    await scanTable(db, 'participants', 'conversation_id, account_id', ([, id, account]) => groups.get(String(id))?.members.push(String(account)));
    for (const [id, group] of groups) world.groups.create(id, group.creatorId, group.members);

    const logRows = await foldLog(db, world, idempotency);
    world.restoreSeq(await latestSeq(db));
    return { world, figures: { accounts, graphEdges, conversationPairs, logRows, ms: Math.round(performance.now() - started) } };
  });
}

/** `edgesFrom`: the local file whose edge tables a thread reads (RebuildOptions.edgesOnThreadFrom), or null. */
async function loadGraph(db: Executor, world: DecisionWorld, edgesFrom: string | null): Promise<number> {
  const { graph, accounts } = world;
  await scanTable(db, 'accounts', 'id, verified, phone_verified, protected, suspended, inbox', ([, id, verified, phone, prot, suspended, inbox]) => {
    graph.setAccount(String(id), { verified: bool(verified), phoneVerified: bool(phone), protected: bool(prot), suspended: bool(suspended), inbox: inbox as never });
  });
  const edgeKinds: ReadonlyArray<readonly [EdgeTable, EdgeKind]> = [['follows', 'follows'], ['blocks', 'blocks'], ['welcome_messages', 'welcomeShown']];
  let edges = 0;
  for (const [table, kind] of edgeKinds) {
    if (edgesFrom) {
      // The scan names each id once; numbering its names spares a look-up by id for every row.
      const named = new NamedAccounts(accounts);
      edges += await scanEdgesOnThread(edgesFrom, table, (a, b, idOf) => graph.setEdgeNumbered(kind, named.of(a, idOf(a)), named.of(b, idOf(b))));
    } else {
      edges += await scanEdges(db, table, (a, b) => graph.setEdgeNumbered(kind, accounts.of(a), accounts.of(b)));
    }
  }
  edges += await scanTable(db, 'accepted_requests', 'recipient_id, sender_id', ([, r, s]) => world.pairFacts.accept(accounts.of(String(r)), accounts.of(String(s))));
  edges += await scanTable(db, 'reports', 'reporter_id, reported_id, reported_at, seq', ([, r, s, at, seq]) => {
    world.pairFacts.report(accounts.of(String(r)), accounts.of(String(s)), num(at), num(seq));
  });
  edges += await scanTable(db, 'app_grants', 'account_id, app_id', ([, account, app]) => world.appGrants.grant(accounts.of(String(account)), String(app)));
  edges += await scanTable(db, 'exemptions', 'id, account_id, rule, expires_at', ([, id, account, rule, expiresAt]) => {
    world.exemptions.grant(accounts.of(String(account)), { id: String(id), rule: String(rule), expiresAt: num(expiresAt) });
  }, 'revoked_at is null');
  return edges;
}

/**
 * Folds the log's rows in recorded order: into the windows from the first row of their retention,
 * into the pair history, groups and idempotency answers after what the indexer already folded.
 * Counter resets are events in the same order.
 */
async function foldLog(db: Executor, world: DecisionWorld, idempotency: IdempotencyMemory): Promise<number> {
  const index = await readLogIndex(db);
  const latestAt = await latestLoggedAt(db);
  if (latestAt === null) return 0;
  world.retention.advance(latestAt);
  const windowsFrom = (await firstSeqFrom(db, world.retention.horizon)) ?? Infinity;
  const pairsAfter = index.get('pairs') ?? 0;
  const groupsAfter = index.get('groups') ?? 0;
  const idempotencyAfter = index.get('idempotency') ?? 0;
  const start = Math.min(windowsFrom - 1, pairsAfter, groupsAfter, idempotencyAfter);

  const resets: Array<[number, string]> = [];
  if (Number.isFinite(windowsFrom)) {
    await scanTable(db, 'counter_resets', 'seq, account_id', ([, seq, account]) => resets.push([num(seq), String(account)]), 'seq >= ?1', [windowsFrom]);
    resets.sort((a, b) => a[0] - b[0]);
  }
  let nextReset = 0;
  return scanLog(db, start, (row) => {
    const r = recordedFromRow(row);
    for (; nextReset < resets.length && resets[nextReset][0] < r.seq; nextReset++) world.resetCounters(resets[nextReset][1]);
    if (r.seq >= windowsFrom) world.applyCounters(r);
    if (r.seq > pairsAfter) world.applyConversation(r);
    if (r.seq > groupsAfter) world.applyGroup(r);
    const [key, hash, response] = row.slice(13, 16);
    if (r.seq > idempotencyAfter && key !== null) idempotency.remember(r.senderId, String(key), r.seq, r.at, String(hash), String(response));
  }).then((count) => {
    for (; nextReset < resets.length; nextReset++) world.resetCounters(resets[nextReset][1]);
    return count;
  });
}

/** A log row (db/stores/world-history.ts's foldedLogColumns) as the state folds it. */
export function recordedFromRow(row: unknown[]): RecordedDecision {
  const [seq, at, senderId, appId, kind, recipientIds, decision, conversationId, counted, apiRequest, cooldownUntil, fingerprints, fingerprintTarget] = row;
  return {
    seq: num(seq), at: num(at), senderId: String(senderId), appId: appId === null ? null : String(appId), kind: kind as RecordedDecision['kind'],
    recipientIds: json<string[]>(recipientIds), admitted: decision === 'allow' || decision === 'request',
    conversationId: conversationId === null ? null : String(conversationId), counted: bool(counted), apiRequest: bool(apiRequest),
    cooldownUntil: cooldownUntil === null ? null : num(cooldownUntil), fingerprints: json<string[]>(fingerprints),
    fingerprintTarget: fingerprintTarget === null ? null : String(fingerprintTarget),
  };
}
