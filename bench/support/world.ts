/**
 * A synthetic world for the benchmarks, computed from account indexes alone so that any process
 * (the service, a load generator child) derives the same accounts, edges and send bodies without
 * holding the world in memory.
 *
 * Accounts are `a<i>` for i in [0, accounts). Account i follows `degree(i)` distinct accounts
 * (edges / accounts on average): 30 % of picks go to the "popular" top 1 %, the rest uniformly, which
 * gives a few accounts with many followers and most with few. Flags follow the demo population's
 * shares (server/demo/world.ts): 3 % verified, 65 % phone-verified, 4 % protected, 1 % suspended,
 * inbox 72 % following / 16 % everyone / 12 % verified.
 */
import { bodies, openers } from '../../server/demo/phrases.ts';

/** A 32-bit integer hash (lowbias32), used as a stateless random source per index. */
export function hash32(x: number): number {
  x = (x ^ (x >>> 16)) >>> 0;
  x = Math.imul(x, 0x7feb352d);
  x = (x ^ (x >>> 15)) >>> 0;
  x = Math.imul(x, 0x846ca68b);
  return (x ^ (x >>> 16)) >>> 0;
}

const unit = (x: number) => hash32(x) / 4294967296;
const mix = (a: number, b: number) => hash32((Math.imul(a, 0x9e3779b1) ^ Math.imul(b + 0x632be5ab, 0x85ebca6b)) >>> 0);

export const accountId = (i: number) => `a${i}`;

export interface WorldSize {
  accounts: number;
  edges: number;
}

export interface AccountFlags {
  verified: boolean;
  phoneVerified: boolean;
  protected: boolean;
  suspended: boolean;
  inbox: 'everyone' | 'following' | 'verified';
}

export function accountFlags(i: number): AccountFlags {
  const inboxDraw = unit(mix(i, 5));
  return {
    verified: unit(mix(i, 1)) < 0.03,
    phoneVerified: unit(mix(i, 2)) < 0.65,
    protected: unit(mix(i, 3)) < 0.04,
    suspended: unit(mix(i, 4)) < 0.01,
    inbox: inboxDraw < 0.72 ? 'following' : inboxDraw < 0.88 ? 'everyone' : 'verified',
  };
}

/** How many accounts account i follows: the edges spread evenly, the remainder on the first accounts. */
export function degree(i: number, size: WorldSize): number {
  const base = Math.floor(size.edges / size.accounts);
  return base + (i < size.edges % size.accounts ? 1 : 0);
}

/** The accounts account i follows: distinct, never i itself. */
export function followees(i: number, size: WorldSize): number[] {
  const n = size.accounts;
  const wanted = Math.min(degree(i, size), n - 1);
  const popular = Math.max(1, Math.floor(n / 100));
  const picked = new Set<number>();
  for (let k = 0; picked.size < wanted; k++) {
    const h = mix(i, 1000 + k);
    const target = (h & 0xff) < 77 ? mix(h, 7) % popular : mix(h, 11) % n;
    if (target !== i) picked.add(target);
  }
  return [...picked];
}

/** The world as NDJSON lines of POST /v1/import: every account, then every follow edge. */
export function* importLines(size: WorldSize): Generator<string> {
  for (let i = 0; i < size.accounts; i++) {
    yield JSON.stringify({ type: 'account', id: accountId(i), ...accountFlags(i) });
  }
  for (let i = 0; i < size.accounts; i++) {
    const from = accountId(i);
    for (const j of followees(i, size)) yield `{"type":"follow","from":"${from}","to":"${accountId(j)}"}`;
  }
}

/** Lines joined into chunks of about `bytes` characters, each ending with a newline. */
export function* importChunks(size: WorldSize, bytes = 256 * 1024): Generator<string> {
  let chunk = '';
  for (const line of importLines(size)) {
    chunk += line + '\n';
    if (chunk.length >= bytes) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk) yield chunk;
}

/** The world as a byte stream, pulled chunk by chunk: never held whole. */
export function importStream(size: WorldSize): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const chunks = importChunks(size);
  return new ReadableStream({
    pull(controller) {
      const next = chunks.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value));
    },
  });
}

// ---------------------------------------------------------------------------------------------------
// Send bodies


/** How the send bodies relate to each other. */
export interface Traffic {
  /**
   * The share of sends (0–1) that reply to one of the latest few thousand direct messages: its
   * recipient writes back to its sender. 0 draws every send afresh, which is the worst case for
   * what the service keeps in memory; DM traffic is mostly conversations, where it pays.
   */
  replyShare: number;
  /**
   * Every send carries an idempotency key of its own, as a backend that retries its requests sends
   * them: each is a new key, so the service looks it up in the stored answers and records its answer.
   */
  idempotencyKeys?: boolean;
}

/** How many of the latest direct sends replies are drawn from. */
const recentCapacity = 4096;

/**
 * A stream of realistic POST /v1/sends bodies: senders spread over the whole population, recipients
 * drawn from the follow graph (a follower of the sender, someone the sender follows, or a stranger),
 * texts distinct from each other (a counter in every one, a distinct link in 5 %), so that neither the
 * daily cap nor duplicate detection decides most attempts.
 *
 * Mix: 90 % direct (45 % to a follower of the sender — mostly allowed; 35 % to someone the sender
 * follows — allowed, a message request or refused by the recipient's inbox setting; 20 % to a
 * stranger), 5 % group_create with 2–3 participants, 5 % direct through channel `app` — after
 * `traffic.replyShare` of the sends went to replies (channel `web`).
 */
export function sendBodies(size: WorldSize, seed: number, traffic: Traffic = { replyShare: 0 }): () => string {
  let state = hash32(seed) || 1;
  /** The latest direct sends, [sender, recipient], for replies to draw from. */
  const recent: Array<[number, number]> = [];
  let recentNext = 0;
  let counter = 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    return hash32(state);
  };
  const n = size.accounts;
  const pick = <T>(items: readonly T[]) => items[next() % items.length];
  const text = (k: number) => {
    const base = `${pick(openers)} ${pick(bodies)} (${seed}.${k})`;
    return next() % 20 === 0 ? `${base} https://news.example/story/${seed}-${k}` : base;
  };
  /** The body's JSON, with a key of its own when the traffic carries them (seed and counter: unique across runs). */
  const body = (send: Record<string, unknown>, k: number) => JSON.stringify(traffic.idempotencyKeys ? { ...send, idempotencyKey: `k-${seed}-${k}` } : send);
  const remember = (sender: number, recipient: number) => {
    if (recent.length < recentCapacity) recent.push([sender, recipient]);
    else recent[recentNext++ % recentCapacity] = [sender, recipient];
  };
  return () => {
    const k = counter++;
    const draw = next() % 100;
    if (draw < 5) {
      const sender = next() % n;
      const others = new Set<number>();
      const want = 2 + (next() % 2);
      while (others.size < want) {
        const o = next() % n;
        if (o !== sender) others.add(o);
      }
      return body({ senderId: accountId(sender), recipientIds: [...others].map(accountId), kind: 'group_create', text: text(k) }, k);
    }
    if (traffic.replyShare > 0 && recent.length && next() % 1000 < traffic.replyShare * 1000) {
      // A reply: the recipient of a recent message writes back to its sender.
      const [to, from] = recent[next() % recent.length];
      remember(from, to);
      return body({ senderId: accountId(from), recipientIds: [accountId(to)], kind: 'direct', channel: 'web', text: text(k) }, k);
    }
    // An edge a -> b (a follows b), a uniform.
    const a = next() % n;
    const follows = followees(a, size);
    let sender: number;
    let recipient: number;
    const how = next() % 100;
    if (follows.length && how < 45) {
      sender = pick(follows);
      recipient = a; // the recipient follows the sender
    } else if (follows.length && how < 80) {
      sender = a;
      recipient = pick(follows); // the sender follows the recipient
    } else {
      sender = a;
      recipient = next() % n;
      if (recipient === sender) recipient = (recipient + 1) % n;
    }
    remember(sender, recipient);
    const channel = draw < 10 ? 'app' : 'web';
    return body({ senderId: accountId(sender), recipientIds: [accountId(recipient)], kind: 'direct', channel, text: text(k) }, k);
  };
}
