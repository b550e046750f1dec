/**
 * Every change to the graph the rules read, written through: the row in libSQL, then the same change
 * in the in-memory decision state, inside one writer job (so decisions in the same batch see it, and
 * a batch that rolls back has the state rebuilt). Routes, the import and the demo all change it here.
 */
import type { Executor } from '../../db/client.ts';
import {
  acceptRequest, block, follow, grantApp, markWelcomeShown, report, revokeApp, unblock, unfollow, upsertAccount,
  type Account, type AccountPatch, type Edge, type EdgeTable,
} from '../../db/stores/graph.ts';
import type { DecisionWorld } from '../state/world.ts';

/** A change to an edge: `from` follows / blocks / reports / accepts / was shown / grants `to`, or the reverse. */
export type EdgeChange = 'follow' | 'unfollow' | 'block' | 'unblock' | 'report' | 'accept' | 'welcomeShown' | 'grantApp' | 'revokeApp';

export async function changeEdge(tx: Executor, world: DecisionWorld, change: EdgeChange, edge: Edge, now: number): Promise<void> {
  const { graph, accounts } = world;
  switch (change) {
    case 'follow':
      await follow(tx, edge, now);
      return graph.setFollow(edge.from, edge.to, true);
    case 'unfollow':
      await unfollow(tx, edge);
      return graph.setFollow(edge.from, edge.to, false);
    case 'block':
      await block(tx, edge, now);
      return graph.setBlock(edge.from, edge.to, true);
    case 'unblock':
      await unblock(tx, edge);
      return graph.setBlock(edge.from, edge.to, false);
    case 'report': {
      // A report takes its place in the recorded order: a message in the same millisecond comes before or after it.
      const seq = world.nextSeq();
      await report(tx, edge, now, seq);
      return world.pairFacts.report(accounts.of(edge.from), accounts.of(edge.to), now, seq);
    }
    case 'accept':
      await acceptRequest(tx, edge, now);
      return world.pairFacts.accept(accounts.of(edge.from), accounts.of(edge.to));
    case 'welcomeShown':
      await markWelcomeShown(tx, edge, now);
      return graph.markWelcomeShown(edge.from, edge.to);
    case 'grantApp':
      await grantApp(tx, edge, now);
      return world.appGrants.grant(accounts.of(edge.from), edge.to);
    case 'revokeApp':
      await revokeApp(tx, edge);
      return world.appGrants.revoke(accounts.of(edge.from), edge.to);
  }
}

/** Creates or updates an account (fields left out keep their value) and returns it whole. */
export async function changeAccount(tx: Executor, world: DecisionWorld, id: string, patch: AccountPatch, now: number): Promise<Account> {
  const account = await upsertAccount(tx, id, patch, now);
  world.graph.setAccount(id, patch);
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
  for (const [from, to] of pairs) {
    switch (table) {
      case 'follows': graph.setFollow(from, to, true); break;
      case 'blocks': graph.setBlock(from, to, true); break;
      case 'welcomeShown': graph.markWelcomeShown(from, to); break;
      case 'reports': pairFacts.report(accounts.of(from), accounts.of(to), now, seq); break;
      case 'accepted': pairFacts.accept(accounts.of(from), accounts.of(to)); break;
      case 'appGrants': appGrants.grant(accounts.of(from), to); break;
    }
  }
}
