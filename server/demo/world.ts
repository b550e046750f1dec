/** The demo population: accounts of several kinds and a skewed follow graph, generated purely from a seed. */
import type { Edge, Inbox } from '../../db/stores/graph.ts';
import type { ImportLine } from '../graph/import.ts';

/**
 * What an account does in the demo traffic: `user` talks to people, `business` answers customers and
 * shows welcome messages, `bot` answers through the API, `spammer` sends one link to many, `heavy`
 * sends all day long into the daily cap.
 */
export type AccountKind = 'user' | 'business' | 'bot' | 'spammer' | 'heavy';

export interface DemoAccount {
  id: string;
  kind: AccountKind;
  verified: boolean;
  phoneVerified: boolean;
  protected: boolean;
  suspended: boolean;
  inbox: Inbox;
  /** A user followed by many: preferential attachment starts from these. */
  celebrity: boolean;
  /** Conversations the account starts per day, on average. */
  activity: number;
  /** For a bot: the app it sends through (channel `api`). */
  appId?: string;
}

export interface World {
  seed: number;
  accounts: DemoAccount[];
  /** `from` follows `to`. */
  follows: Edge[];
  /** `from` blocks `to`. */
  blocks: Edge[];
  /** `from` reported `to`. */
  reports: Edge[];
  /** Account `from` was shown the welcome message of business `to`. */
  welcomeShown: Edge[];
  /** Account `from` lets app `to` send for it. */
  appGrants: Edge[];
}

/** A seeded source of randomness (mulberry32) with the few draws the demo needs. */
export interface Random {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [0, n). */
  int(n: number): number;
  /** An integer in [min, max]. */
  between(min: number, max: number): number;
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
}

/**
 * mulberry32: 32 bits of state, fast, and good enough for a synthetic population.
 * @example const random = seededRandom(42); random.pick(['a', 'b'])
 */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  return {
    next, int,
    between: (min, max) => min + int(max - min + 1),
    chance: (p) => next() < p,
    pick: (items) => items[int(items.length)],
  };
}

/** Independent streams for the world and the traffic, so that changing one never reshuffles the other. */
export const streamSeed = (seed: number, stream: number) => (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) + stream * 0xc2b2ae35) >>> 0;

/** How many accounts of each kind a world of `n` accounts holds. */
export function populationMix(n: number): Record<AccountKind, number> {
  const businesses = Math.max(2, Math.round(n * 0.01));
  const bots = Math.max(2, Math.round(n * 0.005));
  const spammers = Math.max(3, Math.round(n * 0.01));
  const heavy = Math.max(1, Math.round(n * 0.0015));
  const users = n - businesses - bots - spammers - heavy;
  if (users < 10) throw new Error(`a demo world needs at least ${businesses + bots + spammers + heavy + 10} accounts`);
  return { user: users, business: businesses, bot: bots, spammer: spammers, heavy };
}

const pad = (i: number, width: number) => String(i).padStart(width, '0');

/** A heavy-tailed positive number around `median` (log-normal), for activity and out-degree. */
function logNormal(random: Random, median: number, sigma: number): number {
  const u = Math.max(random.next(), 1e-12);
  const gaussian = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.next());
  return median * Math.exp(sigma * gaussian);
}

function makeAccounts(n: number, random: Random): DemoAccount[] {
  const mix = populationMix(n);
  const width = String(n).length;
  const accounts: DemoAccount[] = [];
  const base = { verified: false, phoneVerified: false, protected: false, suspended: false, inbox: 'following' as Inbox, celebrity: false, activity: 0 };
  // About one user in two hundred is a celebrity, and never fewer than three.
  const celebrities = Math.max(3, Math.round(mix.user * 0.005));
  for (let i = 1; i <= mix.user; i++) {
    const celebrity = random.chance(celebrities / mix.user);
    const inboxDraw = random.next();
    accounts.push({
      ...base, id: `user-${pad(i, width)}`, kind: 'user', celebrity,
      verified: celebrity ? random.chance(0.8) : random.chance(0.03),
      phoneVerified: random.chance(0.65),
      protected: random.chance(0.04),
      suspended: random.chance(0.01),
      inbox: inboxDraw < 0.72 ? 'following' : inboxDraw < 0.88 ? 'everyone' : 'verified',
      activity: Math.min(10, logNormal(random, 0.6, 0.8)),
    });
  }
  for (let i = 1; i <= mix.business; i++) {
    accounts.push({ ...base, id: `biz-${pad(i, 3)}`, kind: 'business', verified: true, phoneVerified: true, inbox: 'everyone', activity: random.between(6, 14) });
  }
  for (let i = 1; i <= mix.bot; i++) {
    accounts.push({ ...base, id: `bot-${pad(i, 3)}`, kind: 'bot', verified: random.chance(0.5), phoneVerified: true, inbox: 'everyone', appId: `app-${pad(i, 3)}` });
  }
  for (let i = 1; i <= mix.spammer; i++) {
    // A quarter of the spammers were already caught: their attempts are refused outright.
    const suspended = i % 4 === 0;
    accounts.push({ ...base, id: `spam-${pad(i, 3)}`, kind: 'spammer', inbox: 'everyone', suspended, activity: suspended ? 1 : random.between(1, 3) });
  }
  for (let i = 1; i <= mix.heavy; i++) {
    accounts.push({ ...base, id: `heavy-${pad(i, 3)}`, kind: 'heavy', verified: random.chance(0.5), phoneVerified: true, activity: random.between(530, 620) });
  }
  return accounts;
}

/** How many accounts each kind follows. */
function outDegree(account: DemoAccount, random: Random): number {
  switch (account.kind) {
    case 'user': return Math.max(1, Math.min(300, Math.round(logNormal(random, 9, 0.9))));
    case 'business': return random.between(3, 10);
    case 'bot': return random.between(0, 2);
    case 'spammer': return random.between(20, 80);
    case 'heavy': return random.between(20, 40);
  }
}

/**
 * A follow graph by preferential attachment: most picks go to an account in proportion to the
 * followers it already has (plus a head start for celebrities and businesses), the rest uniformly.
 * That gives the Zipf-like in-degree of a real network: a few accounts with many followers, most with few.
 */
function makeFollows(accounts: DemoAccount[], random: Random): Edge[] {
  const n = accounts.length;
  const following = accounts.map(() => new Set<number>());
  // Each occurrence of an index is one unit of attractiveness.
  const attraction: number[] = [];
  accounts.forEach((a, i) => {
    const headStart = a.celebrity ? Math.max(30, Math.round(n / 25)) : a.kind === 'business' ? Math.max(3, Math.round(n / 200)) : 0;
    for (let k = 0; k < headStart; k++) attraction.push(i);
  });
  const order = accounts.map((_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = random.int(i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  const edges: Array<[number, number]> = [];
  for (const i of order) {
    const wanted = Math.min(outDegree(accounts[i], random), n - 1);
    for (let tries = 0; following[i].size < wanted && tries < wanted * 4; tries++) {
      const target = attraction.length && random.chance(0.8) ? attraction[random.int(attraction.length)] : random.int(n);
      if (target === i || following[i].has(target) || accounts[target].kind === 'spammer') continue;
      following[i].add(target);
      edges.push([i, target]);
      attraction.push(target);
    }
  }
  // People follow back people they know; celebrities rarely do.
  const reciprocal: Array<[number, number]> = [];
  for (const [a, b] of edges) {
    const both = accounts[a].kind === 'user' && accounts[b].kind === 'user';
    if (both && !accounts[b].celebrity && !following[b].has(a) && random.chance(0.35)) {
      following[b].add(a);
      reciprocal.push([b, a]);
    }
  }
  return [...edges, ...reciprocal].map(([a, b]) => ({ from: accounts[a].id, to: accounts[b].id }));
}

/**
 * Generates the demo world of `n` accounts: the same seed always gives the same world.
 * @example const world = generateWorld({ accounts: 2000, seed: 42 })
 */
export function generateWorld(options: { accounts: number; seed: number }): World {
  const random = seededRandom(streamSeed(options.seed, 1));
  const accounts = makeAccounts(options.accounts, random);
  const follows = makeFollows(accounts, random);
  const users = accounts.filter((a) => a.kind === 'user');
  const of = (kind: AccountKind) => accounts.filter((a) => a.kind === kind);
  const kindOf = new Map(accounts.map((a) => [a.id, a.kind]));

  const blocks: Edge[] = [];
  const reports: Edge[] = [];
  const blocked = new Set<string>();
  const addBlock = (e: Edge) => { if (!blocked.has(`${e.from}>${e.to}`)) { blocked.add(`${e.from}>${e.to}`); blocks.push(e); } };
  // Falling-outs: someone blocks, or reports, an account they follow — who still tries to write to them.
  for (const f of follows) {
    if (kindOf.get(f.from) !== 'user' || kindOf.get(f.to) !== 'user') continue;
    if (random.chance(0.006)) addBlock(f);
    else if (random.chance(0.004)) reports.push(f);
  }
  // Spammers have been around before: some of the people they target already blocked or reported them.
  for (const spammer of of('spammer')) {
    for (let k = random.between(3, 6); k > 0; k--) addBlock({ from: random.pick(users).id, to: spammer.id });
    for (let k = random.between(2, 4); k > 0; k--) reports.push({ from: random.pick(users).id, to: spammer.id });
  }

  // Businesses greet visitors with a welcome message; it grants them nothing (R8).
  const welcomeShown: Edge[] = [];
  for (const business of of('business')) {
    const seen = new Set<string>();
    for (let k = Math.max(5, Math.min(150, Math.round(users.length * 0.04))); k > 0; k--) {
      const user = random.pick(users).id;
      if (!seen.has(user)) { seen.add(user); welcomeShown.push({ from: user, to: business.id }); }
    }
  }

  // Each bot grants its own app, except a misconfigured one in five whose sends are refused (R13).
  const appGrants = of('bot').filter((_, i) => i % 5 !== 4).map((bot) => ({ from: bot.id, to: bot.appId! }));
  return { seed: options.seed, accounts, follows, blocks, reports: dedupe(reports), welcomeShown, appGrants };
}

function dedupe(edges: Edge[]): Edge[] {
  const seen = new Set<string>();
  return edges.filter((e) => e.from !== e.to && !seen.has(`${e.from}>${e.to}`) && seen.add(`${e.from}>${e.to}`));
}

/** The world as the lines of a graph import (`POST /v1/import`): accounts first, then edges. */
export function* importLines(world: World): Generator<ImportLine> {
  for (const a of world.accounts) {
    yield { type: 'account', id: a.id, verified: a.verified, phoneVerified: a.phoneVerified, protected: a.protected, suspended: a.suspended, inbox: a.inbox };
  }
  for (const e of world.follows) yield { type: 'follow', ...e };
  for (const e of world.blocks) yield { type: 'block', ...e };
  for (const e of world.reports) yield { type: 'report', ...e };
  for (const e of world.welcomeShown) yield { type: 'welcome_shown', ...e };
  for (const e of world.appGrants) yield { type: 'app_grant', account: e.from, app: e.to };
}

/** Followers (in-degree) per account id. */
export function followerCounts(world: World): Map<string, number> {
  const counts = new Map<string, number>(world.accounts.map((a) => [a.id, 0]));
  for (const f of world.follows) counts.set(f.to, counts.get(f.to)! + 1);
  return counts;
}
