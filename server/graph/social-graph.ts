/**
 * The social graph the rules read, held in memory: every account's settings and the follows, blocks
 * and welcome messages between accounts, over account numbers (server/state/numbering.ts). Written
 * through to libSQL by the graph's routes and the import, rebuilt from it at start.
 */
import type { Account, AccountPatch, Inbox } from '../../db/stores/graph.ts';
import { ByteColumn, PairNumbers, type AccountNumbers } from '../state/numbering.ts';

/** Account flags, one byte each: which fields were set, and the inbox in bits 5–6. */
const known = 1;
const verified = 2;
const phoneVerified = 4;
const isProtected = 8;
const suspended = 16;
const inboxShift = 5;
const inboxes: Inbox[] = ['following', 'everyone', 'verified'];

/** Edge flags of an ordered pair (a, b), one byte each. */
const follows = 1; // a follows b
const blocks = 2; // a blocks b
const welcomeShown = 4; // a was shown business b's welcome message (R8)

export type EdgeKind = 'follows' | 'blocks' | 'welcomeShown';
const edgeBits: Record<EdgeKind, number> = { follows, blocks, welcomeShown };

/**
 * `flags` with `bit` set or cleared as `value` says, unchanged when it is undefined. A module
 * function, not a closure made per call: tsx names each closure as it is made (esbuild's keepNames).
 */
function withFlag(flags: number, bit: number, value: boolean | undefined): number {
  return value === undefined ? flags : value ? flags | bit : flags & ~bit;
}

/** What lies between accounts a and b, each way: what a decision on a send from a to b reads of the graph. */
export interface Between {
  aFollowsB: boolean;
  bFollowsA: boolean;
  /** A block either way (R1). */
  blocked: boolean;
  /** b was shown business a's welcome message (R8). */
  bShownWelcomeOfA: boolean;
}

export class SocialGraph {
  private readonly flags = new ByteColumn();
  private readonly pairs: PairNumbers;
  private readonly edges = new ByteColumn();

  /** `expectedPairs`: about how many pairs of accounts have an edge (a rebuild counts them). */
  constructor(readonly accounts: AccountNumbers, expectedPairs = 1024) {
    this.pairs = new PairNumbers(2 * expectedPairs, 1 << 26);
  }

  /** The account as the rules see it: an account never PUT has the defaults (DESIGN §4). */
  account(id: string): Account {
    return this.accountNumbered(this.accounts.find(id), id);
  }

  /** account(id), given the number of `id` (-1: never numbered), so that a caller holding it looks nothing up again. */
  accountNumbered(n: number, id: string): Account {
    const f = this.flags.get(n);
    return {
      id, verified: (f & verified) !== 0, phoneVerified: (f & phoneVerified) !== 0, protected: (f & isProtected) !== 0,
      suspended: (f & suspended) !== 0, inbox: inboxes[(f >> inboxShift) & 3],
    };
  }

  /** Whether the account was ever PUT (or imported). */
  exists(id: string): boolean {
    return (this.flags.get(this.accounts.find(id)) & known) !== 0;
  }

  /** Creates or updates the account; fields left out keep their value. */
  setAccount(id: string, patch: AccountPatch): void {
    const n = this.accounts.of(id);
    let f = this.flags.get(n) | known;
    f = withFlag(f, verified, patch.verified);
    f = withFlag(f, phoneVerified, patch.phoneVerified);
    f = withFlag(f, isProtected, patch.protected);
    f = withFlag(f, suspended, patch.suspended);
    if (patch.inbox !== undefined) f = (f & ~(3 << inboxShift)) | (inboxes.indexOf(patch.inbox) << inboxShift);
    this.flags.set(n, f);
  }

  /** Whether `a` blocks `b` (a group's participants against an invitee, R1). */
  blocks(a: string, b: string): boolean {
    return this.has(a, b, blocks);
  }

  /**
   * The edges between accounts numbered a and b (-1: never numbered), both ways, from one look-up of
   * their pair: (b, a) is the number next to (a, b). Asked edge by edge, a decision looked each
   * account up by its id seven times and the pair five.
   */
  between(a: number, b: number): Between {
    const pair = this.pairs.find(a, b);
    const there = pair < 0 ? 0 : this.edges.get(pair);
    const back = pair < 0 ? 0 : this.edges.get(PairNumbers.reverse(pair, a, b));
    return {
      aFollowsB: (there & follows) !== 0, bFollowsA: (back & follows) !== 0,
      blocked: ((there | back) & blocks) !== 0, bShownWelcomeOfA: (back & welcomeShown) !== 0,
    };
  }

  setFollow(a: string, b: string, on: boolean): void {
    this.setEdge(a, b, follows, on);
  }

  setBlock(a: string, b: string, on: boolean): void {
    this.setEdge(a, b, blocks, on);
  }

  markWelcomeShown(a: string, b: string): void {
    this.setEdge(a, b, welcomeShown, true);
  }

  /** Every edge of the graph as [from, to, kind], sorted: for comparing states. */
  snapshotEdges(): Array<[string, string, EdgeKind]> {
    const out: Array<[string, string, EdgeKind]> = [];
    const add = (a: number, b: number, pair: number) => {
      const f = this.edges.get(pair);
      const [from, to] = [this.accounts.id(a), this.accounts.id(b)];
      if (f & follows) out.push([from, to, 'follows']);
      if (f & blocks) out.push([from, to, 'blocks']);
      if (f & welcomeShown) out.push([from, to, 'welcomeShown']);
    };
    this.pairs.forEach((low, high, n) => {
      add(low, high, 2 * n);
      add(high, low, 2 * n + 1);
    });
    return out.sort((x, y) => (x.join('\u0000') < y.join('\u0000') ? -1 : 1));
  }

  /** Every account that was PUT, with its fields: for comparing states. */
  snapshotAccounts(): Account[] {
    const out: Account[] = [];
    for (let n = 0; n < this.accounts.size; n++) {
      const id = this.accounts.id(n);
      if (this.exists(id)) out.push(this.account(id));
    }
    return out.sort((x, y) => (x.id < y.id ? -1 : 1));
  }

  private has(a: string, b: string, bit: number): boolean {
    return (this.edges.get(this.pairs.find(this.accounts.find(a), this.accounts.find(b))) & bit) !== 0;
  }

  /** Makes room for `more` pairs of accounts with an edge beyond those held, so that an import grows the pair table at most once. */
  reserve(more: number): void {
    this.pairs.reserve(this.pairs.size + more);
  }

  /**
   * Sets `kind` from every `from` to its `to` (an import's rows). Imports list an account's edges
   * together, as dumps of a graph do: a run of rows with one `from` looks its number up once.
   */
  addEdges(kind: EdgeKind, rows: ReadonlyArray<readonly [string, string]>): void {
    const bit = edgeBits[kind];
    let from: string | null = null;
    let a = -1;
    for (const [f, to] of rows) {
      if (f !== from) a = this.accounts.of((from = f));
      const pair = this.pairs.of(a, this.accounts.of(to));
      this.edges.set(pair, this.edges.get(pair) | bit);
    }
  }

  /** Sets `kind` from account number a to b (a rebuild that numbered them as it read them). */
  setEdgeNumbered(kind: EdgeKind, a: number, b: number): void {
    const pair = this.pairs.of(a, b);
    this.edges.set(pair, this.edges.get(pair) | edgeBits[kind]);
  }

  private setEdge(a: string, b: string, bit: number, on: boolean): void {
    const pair = this.pairs.of(this.accounts.of(a), this.accounts.of(b));
    const f = this.edges.get(pair);
    this.edges.set(pair, on ? f | bit : f & ~bit);
  }
}
