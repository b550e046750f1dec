/**
 * Changes to what decisions read besides the decision log — the graph, account settings, app grants,
 * exemptions, counter resets — as events in the recorded order. Applied to the in-memory decision
 * state where they are made, and, when several instances share a libSQL server, journaled there so
 * that the others apply them too (server/state/shared-log.ts).
 */
import type { AccountPatch } from '../../db/stores/graph.ts';
import type { ActiveExemption } from '../limits/exemptions.ts';
import type { DecisionWorld } from '../state/world.ts';

/** A change to an edge: `from` follows / blocks / reports / accepts / was shown / grants `to`, or the reverse. */
export type EdgeChange = 'follow' | 'unfollow' | 'block' | 'unblock' | 'report' | 'accept' | 'welcomeShown' | 'grantApp' | 'revokeApp';

export type GraphEvent =
  | { kind: EdgeChange; from: string; to: string }
  | { kind: 'account'; id: string; patch: AccountPatch }
  | { kind: 'exemption'; account: string; exemption: ActiveExemption }
  | { kind: 'exemptionRevoked'; account: string; id: string }
  | { kind: 'countersReset'; account: string }
  /** A bulk import: too large to journal row by row, so an instance that meets it rebuilds its state. */
  | { kind: 'import' };

/** Applies one event, recorded at `at` as the `seq`-th event, to the in-memory state. */
export function applyGraphEvent(world: DecisionWorld, event: GraphEvent, at: number, seq: number): void {
  const { graph, accounts } = world;
  switch (event.kind) {
    case 'follow': return graph.setFollow(event.from, event.to, true);
    case 'unfollow': return graph.setFollow(event.from, event.to, false);
    case 'block': return graph.setBlock(event.from, event.to, true);
    case 'unblock': return graph.setBlock(event.from, event.to, false);
    // A report takes its place in the recorded order: a message in the same millisecond comes before or after it (R7).
    case 'report': return world.pairFacts.report(accounts.of(event.from), accounts.of(event.to), at, seq);
    case 'accept': return world.pairFacts.accept(accounts.of(event.from), accounts.of(event.to));
    case 'welcomeShown': return graph.markWelcomeShown(event.from, event.to);
    case 'grantApp': return world.appGrants.grant(accounts.of(event.from), event.to);
    case 'revokeApp': return world.appGrants.revoke(accounts.of(event.from), event.to);
    case 'account': return graph.setAccount(event.id, event.patch);
    case 'exemption': return world.exemptions.grant(accounts.of(event.account), event.exemption);
    case 'exemptionRevoked': return world.exemptions.revoke(accounts.of(event.account), event.id);
    case 'countersReset': return world.resetCounters(event.account);
    case 'import': return; // its rows were applied as they were written (applyStagedImport)
  }
}
