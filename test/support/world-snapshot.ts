/**
 * The in-memory decision state as plain data keyed by ids (not by account numbers, which a rebuild
 * gives out in another order): what two states must agree on to decide every request alike.
 */
import { PairNumbers } from '../../server/state/numbering.ts';
import type { DecisionWorld } from '../../server/state/world.ts';

export function snapshotOf(world: DecisionWorld) {
  const { accounts } = world;
  const id = (n: number) => accounts.id(n);
  const perAccount: Record<string, unknown> = {};
  for (let n = 0; n < accounts.size; n++) {
    const entry = {
      daily: world.dailyCap.snapshot(n),
      api: world.apiWindows.snapshot(n),
      fingerprints: world.duplicateSpam.snapshot(n)
        .map(([key, target, at]) => [key, target >= 0 ? id(target) : `group ${world.duplicateSpam.conversationOf(target)}`, at]),
      cooldownUntil: world.duplicateSpam.cooldownUntil(n),
      grants: world.appGrants.snapshot(n),
      exemptions: world.exemptions.snapshot(n),
    };
    const empty = !entry.daily.length && !entry.api.length && !entry.fingerprints.length && entry.cooldownUntil === null
      && !entry.grants.length && !entry.exemptions.length;
    if (!empty) perAccount[id(n)] = entry;
  }
  const apps = Object.fromEntries(world.apiWindows.apps().sort()
    .map((app) => [app, world.apiWindows.appSnapshot(app).map(([at, sender]) => [at, id(sender)])] as const)
    .filter(([, events]) => events.length));
  const pairs: Array<[string, string, number | null, number, number]> = [];
  const addPair = (a: number, b: number, pair: number) => {
    const at = world.pairHistory.lastSentAt(pair);
    const since = world.pairHistory.sentSinceReply(pair);
    if (at !== null || since !== 0) pairs.push([id(a), id(b), at, world.pairHistory.lastSentSeq(pair), since]);
  };
  world.conversations.forEach((low, high, n) => {
    addPair(low, high, 2 * n);
    addPair(high, low, PairNumbers.reverse(2 * n, low, high));
  });
  const pairFacts = world.pairFacts.snapshot().map(([a, b, accepted, report]) => [id(a), id(b), accepted, report] as const);
  const byKey = (x: readonly unknown[], y: readonly unknown[]) => (JSON.stringify(x) < JSON.stringify(y) ? -1 : 1);
  return {
    horizon: world.retention.horizon,
    accounts: world.graph.snapshotAccounts(),
    edges: world.graph.snapshotEdges(),
    groups: world.groups.snapshot().map((g) => ({ ...g, participants: [...g.participants].sort() })),
    perAccount,
    apps,
    pairs: pairs.sort(byKey),
    pairFacts: pairFacts.sort(byKey),
  };
}
