/**
 * Owned senders: where several instances share a libSQL server, each shard of senders is decided by
 * one instance at a time, which holds a lease on it in the database. The owner decides its senders
 * from memory, outside any transaction, and appends the decisions in one round trip that is refused
 * if any of their leases has moved on (db/stores/decision-log.ts appendOwnedDecisions); a request for
 * another instance's sender is forwarded to it (server/cluster/forwarding.ts).
 *
 * Every `beatMs` a round, run as a writer job — its transaction holds the server's write lock and
 * starts by applying what the others recorded — says this instance is alive, reads who else is, and
 * claims the shards now dealt to it that no live instance holds, gives up those dealt to another, and
 * renews the rest. A claim and the tail it was read after are one transaction, so the new owner has
 * everything the old one recorded before its appends were shut out. An instance not heard of for
 * `leaseMs` is taken for dead and its shards are claimed as their leases run out.
 */
import { randomUUID } from 'node:crypto';
import type { Store } from '../../db/client.ts';
import type { Statement } from '../../db/statements.ts';
import {
  forgetInstance, heartbeatAndReadMembership, leaseChanges, releaseAllShards, type InstanceRow,
} from '../../db/stores/shard-leases.ts';
import type { BatchStateKind } from '../../db/writer.ts';
import { desiredOwner, shardOf } from './shards.ts';

export interface OwnershipOptions {
  /** Where the other instances reach this one's forwarded decisions (server/cluster/peer-server.ts). */
  peerUrl: string;
  /** What a forwarded decision must carry to be taken there. */
  secret: string;
  /** How long a lease and a heartbeat last (ms). */
  leaseMs: number;
  /** How often the round runs (ms); well under leaseMs. */
  beatMs: number;
  /** What the instance is called in the database, metrics and logs (a host or pod name); its id starts with it. */
  name?: string;
}

/** Another instance, as a forwarded decision reaches it. */
export interface Peer {
  id: string;
  url: string;
  secret: string;
}

/** Where a sender's decision is made now: here (under the lease's epoch), at a peer, or nowhere yet. */
export type Route = { here: true; shard: number; epoch: number } | { here: false; peer: Peer | null };

/** The lease changes of the batch's ownership rounds, written with its COMMIT. */
const leaseWrites: BatchStateKind<Statement[]> = { create: () => [], statements: (writes) => writes };

export class SenderOwnership {
  /**
   * This instance's id: its name (`DM_POLICY_INSTANCE_NAME`) and a part new at every start, so that
   * a restarted instance claims afresh and two started with one name never share leases. The live
   * instance whose id sorts first writes the journal.
   */
  readonly id: string;
  /** Shards held, and the epoch each was claimed at. */
  private readonly held = new Map<number, number>();
  /** Shards other live instances hold. */
  private peers = new Map<number, Peer>();
  /** The live instance whose writer runs every instance's appends (server/cluster/journal.ts); null when it is this one. */
  private journalWriter: Peer | null = null;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;

  private constructor(private readonly store: Store, private readonly options: OwnershipOptions) {
    const fresh = randomUUID();
    this.id = options.name ? `${options.name}-${fresh.slice(0, 8)}` : fresh;
  }

  /** Joins: the first round runs before this returns, so shards no one holds are decided at once. */
  static async start(store: Store, options: OwnershipOptions): Promise<SenderOwnership> {
    const ownership = new SenderOwnership(store, options);
    await ownership.round();
    ownership.timer = setInterval(() => void ownership.refresh(), options.beatMs);
    ownership.timer.unref();
    return ownership;
  }

  route(senderId: string): Route {
    const shard = shardOf(senderId);
    const epoch = this.held.get(shard);
    if (epoch !== undefined) return { here: true, shard, epoch };
    return { here: false, peer: this.peers.get(shard) ?? null };
  }

  /** The instance whose writer runs this one's appends, or null: this one's own. */
  get journal(): Peer | null {
    return this.journalWriter;
  }

  /** Whether the route's shard is still held under its epoch. */
  holds(route: { shard: number; epoch: number }): boolean {
    return this.held.get(route.shard) === route.epoch;
  }

  holdsShard(shard: number): boolean {
    return this.held.has(shard);
  }

  /** Where this instance takes forwarded decisions. */
  get peerUrl(): string {
    return this.options.peerUrl;
  }

  /** Shards held now (for /metrics and tests). */
  get shardsHeld(): number {
    return this.held.size;
  }

  /**
   * The next round, now (the timer's, or a send that found no owner), or the one under way. Never
   * fails: a round that could not commit changes nothing, and the next one tries again.
   */
  refresh(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    this.running ??= this.round()
      .catch((error) => console.error(`ownership round failed: ${(error as Error).message}`))
      .finally(() => { this.running = null; });
    return this.running;
  }

  /** Leaves: every shard released and this instance forgotten, so that the others claim at once. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
    this.held.clear();
    await this.store.writer.write(async (tx) => {
      await releaseAllShards(tx, this.id);
      await forgetInstance(tx, this.id);
    }).catch(() => undefined);
  }

  private async round(): Promise<void> {
    const { leaseMs, peerUrl, secret } = this.options;
    const claimed = await this.store.writer.write(async (tx) => {
      const now = Date.now();
      const { live, leases } = await heartbeatAndReadMembership(tx, { id: this.id, peerUrl, secret }, now, now - leaseMs);
      const liveById = new Map(live.map((i) => [i.id, i]));
      const liveIds = [...liveById.keys()];
      const claim: number[] = [];
      const release: number[] = [];
      const peers = new Map<number, Peer>();
      const kept = new Map<number, number>();
      for (const lease of leases) {
        const wanted = desiredOwner(lease.shard, liveIds) === this.id;
        if (lease.owner === this.id) {
          if (wanted) kept.set(lease.shard, lease.epoch);
          else release.push(lease.shard);
          continue;
        }
        const holder: InstanceRow | undefined = lease.owner && lease.expiresAt > now ? liveById.get(lease.owner) : undefined;
        if (holder) peers.set(lease.shard, { id: holder.id, url: holder.peerUrl, secret: holder.secret });
        else if (wanted) claim.push(lease.shard);
      }
      // A shard given up is decided here no more from this moment: decisions queued after this job
      // find it gone and are forwarded; those committed before it are in the log its next owner reads.
      for (const shard of release) this.held.delete(shard);
      // Sent with the batch's COMMIT: a round holds the server's write lock for three round trips
      // (the batch's first read, the heartbeat and reads, these and the COMMIT), not one a statement.
      this.store.writer.batchState(leaseWrites).push(...leaseChanges(this.id, release, claim, now + leaseMs));
      this.peers = peers;
      // The live instance whose id sorts first writes the journal: every instance computes the same one.
      const writer = live[0];
      this.journalWriter = writer && writer.id !== this.id ? { id: writer.id, url: writer.peerUrl, secret: writer.secret } : null;
      return { kept, claimed: new Map(claim.map((shard) => [shard, (leases.find((l) => l.shard === shard)?.epoch ?? 0) + 1])) };
    });
    // Held from its commit on: the decisions of later batches are made under these epochs.
    this.held.clear();
    for (const [shard, epoch] of claimed.kept) this.held.set(shard, epoch);
    for (const [shard, epoch] of claimed.claimed) this.held.set(shard, epoch);
  }
}
