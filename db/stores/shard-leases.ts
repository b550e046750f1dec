/**
 * Instances on one libSQL server and the leases by which each shard of senders has one owner
 * (server/cluster/ownership.ts). Every statement here runs inside a writer transaction, which holds
 * the server's write lock: what it reads and what it then changes fit together.
 */
import type { Executor } from '../executor.ts';
import { execute, queryAll, type Statement } from '../statements.ts';

export interface InstanceRow {
  id: string;
  peerUrl: string;
  secret: string;
  seenAt: number;
}

export interface LeaseRow {
  shard: number;
  owner: string | null;
  epoch: number;
  expiresAt: number;
}

/** This instance is alive, at `peerUrl`, now. */
export async function heartbeat(db: Executor, self: Omit<InstanceRow, 'seenAt'>, now: number): Promise<void> {
  await execute(db, `insert into instances (id, peer_url, secret, seen_at) values (?1, ?2, ?3, ?4)
    on conflict (id) do update set peer_url = excluded.peer_url, secret = excluded.secret, seen_at = excluded.seen_at`,
  [self.id, self.peerUrl, self.secret, now]);
}

/** Instances seen at or after `since` (the others are taken for dead), and every shard's lease. */
export async function readMembership(db: Executor, since: number): Promise<{ live: InstanceRow[]; leases: LeaseRow[] }> {
  const live = await queryAll<{ id: string; peer_url: string; secret: string; seen_at: number }>(db,
    'select id, peer_url, secret, seen_at from instances where seen_at >= ?1 order by id', [since]);
  const leases = await queryAll<{ shard: number; owner: string | null; epoch: number; expires_at: number }>(db,
    'select shard, owner, epoch, expires_at from shard_leases order by shard', []);
  return {
    live: live.map((r) => ({ id: r.id, peerUrl: r.peer_url, secret: r.secret, seenAt: Number(r.seen_at) })),
    leases: leases.map((r) => ({ shard: Number(r.shard), owner: r.owner, epoch: Number(r.epoch), expiresAt: Number(r.expires_at) })),
  };
}

/** Takes `shards` for `owner`, each at its next epoch, until `expiresAt`. */
export async function claimShards(db: Executor, owner: string, shards: readonly number[], expiresAt: number): Promise<void> {
  if (!shards.length) return;
  await execute(db, 'update shard_leases set owner = ?1, epoch = epoch + 1, expires_at = ?2 where shard in (select value from json_each(?3))',
    [owner, expiresAt, JSON.stringify(shards)]);
}

/** Extends every lease `owner` holds to `expiresAt`. */
export async function renewLeases(db: Executor, owner: string, expiresAt: number): Promise<void> {
  await execute(db, 'update shard_leases set expires_at = ?2 where owner = ?1', [owner, expiresAt]);
}

/** Gives up `shards` (or all of them) held by `owner`: another instance may claim them at once. */
export async function releaseShards(db: Executor, owner: string, shards: readonly number[] | 'all'): Promise<void> {
  if (shards === 'all') await execute(db, 'update shard_leases set owner = null, expires_at = 0 where owner = ?1', [owner]);
  else if (shards.length) {
    await execute(db, 'update shard_leases set owner = null, expires_at = 0 where owner = ?1 and shard in (select value from json_each(?2))',
      [owner, JSON.stringify(shards)]);
  }
}

/** Says this instance is gone (a clean stop): the others need not wait for its heartbeat to age. */
export async function forgetInstance(db: Executor, id: string): Promise<void> {
  await execute(db, 'delete from instances where id = ?1', [id]);
}

/**
 * The condition an owner's append carries: every (shard, epoch) its decisions were made under is
 * still its own. `?{n}` is the pairs as JSON ([[shard, epoch], …]), `?{n+1}` the owner.
 */
export function leasesStillHeld(pairsParam: number): string {
  const pairs = `?${pairsParam}`;
  const owner = `?${pairsParam + 1}`;
  return `(select count(*) from shard_leases l join json_each(${pairs}) j
    on l.shard = j.value->>0 and l.epoch = j.value->>1 where l.owner = ${owner}) = json_array_length(${pairs})`;
}

/** The statement that tells how many rows the statement before it wrote (an append the leases refused wrote none). */
export const changedRows: Statement = { text: 'select changes()', params: [] };
