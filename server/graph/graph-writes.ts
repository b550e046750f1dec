/**
 * Every change to the graph the rules read, written through: the row in libSQL, then the same change
 * as an event of the in-memory decision state (server/graph/graph-events.ts), inside one writer job —
 * so decisions in the same batch see it, and a batch that rolls back has the state rebuilt. Routes,
 * the import and the demo all change it here.
 */
import type { Executor } from '../../db/executor.ts';
import {
  acceptRequest, block, follow, grantApp, markWelcomeShown, report, revokeApp, unblock, unfollow, upsertAccount,
  type Account, type AccountPatch, type Edge, type EdgeTable,
} from '../../db/stores/graph.ts';
import type { LiveState } from '../state/live-state.ts';
import type { DecisionWorld } from '../state/world.ts';
import type { EdgeChange } from './graph-events.ts';

export async function changeEdge(tx: Executor, state: LiveState, change: EdgeChange, edge: Edge, now: number): Promise<void> {
  const seq = state.world.nextSeq();
  switch (change) {
    case 'follow': await follow(tx, edge, now); break;
    case 'unfollow': await unfollow(tx, edge); break;
    case 'block': await block(tx, edge, now); break;
    case 'unblock': await unblock(tx, edge); break;
    case 'report': await report(tx, edge, now, seq); break;
    case 'accept': await acceptRequest(tx, edge, now); break;
    case 'welcomeShown': await markWelcomeShown(tx, edge, now); break;
    case 'grantApp': await grantApp(tx, edge, now); break;
    case 'revokeApp': await revokeApp(tx, edge); break;
  }
  await state.record(tx, { kind: change, from: edge.from, to: edge.to }, now, seq);
}

/** Creates or updates an account (fields left out keep their value) and returns it whole. */
export async function changeAccount(tx: Executor, state: LiveState, id: string, patch: AccountPatch, now: number): Promise<Account> {
  const seq = state.world.nextSeq();
  const account = await upsertAccount(tx, id, patch, now);
  await state.record(tx, { kind: 'account', id, patch }, now, seq);
  return account;
}

/** An imported account line: its id and the fields it sets. */
export type ImportedAccount = { id: string } & AccountPatch;

/** The import's accounts, as written (a later row for the same account wins). */
export function applyImportedAccounts(world: DecisionWorld, rows: readonly ImportedAccount[]): void {
  for (const { id, ...patch } of rows) world.graph.setAccount(id, patch);
}

/** The import's edges of one table, as written (`seq`: the import's place in the recorded order). */
export function applyImportedEdges(world: DecisionWorld, table: EdgeTable, pairs: ReadonlyArray<readonly [string, string]>, now: number, seq: number): void {
  const { graph, accounts, pairFacts, appGrants } = world;
  if (table === 'follows' || table === 'blocks' || table === 'welcomeShown') {
    graph.addEdges(table, pairs);
    return;
  }
  for (const [from, to] of pairs) {
    switch (table) {
      case 'reports': pairFacts.report(accounts.of(from), accounts.of(to), now, seq); break;
      case 'accepted': pairFacts.accept(accounts.of(from), accounts.of(to)); break;
      case 'appGrants': appGrants.grant(accounts.of(from), to); break;
    }
  }
}
