/**
 * Instances on one libSQL server and the leases by which each shard of senders has one owner
 * (server/cluster/ownership.ts). Every statement here runs inside a writer transaction, which holds
 * the server's write lock: what it reads and what it then changes fit together.
 */
import type { Executor } from '../executor.ts';
import { execute, runStatements, type Statement } from '../statements.ts';

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

/**
 * This instance is alive, at `peerUrl`, now; then the instances seen at or after `since` (the others
 * are taken for dead) and every shard's lease — one round trip, in the writer's transaction.
 */
export async function heartbeatAndReadMembership(db: Executor, self: Omit<InstanceRow, 'seenAt'>, now: number, since: number): Promise<{ live: InstanceRow[]; leases: LeaseRow[] }> {
  const [, live, leases] = await runStatements(db, [
    {
      text: `insert into instances (id, peer_url, secret, seen_at) values (?1, ?2, ?3, ?4)
        on conflict (id) do update set peer_url = excluded.peer_url, secret = excluded.secret, seen_at = excluded.seen_at`,
      params: [self.id, self.peerUrl, self.secret, now],
    },
    { text: 'select id, peer_url, secret, seen_at from instances where seen_at >= ?1 order by id', params: [since] },
    { text: 'select shard, owner, epoch, expires_at from shard_leases order by shard', params: [] },
  ]);
  return {
    live: live.map(([id, peerUrl, secret, seenAt]) => ({
      id: String(id), peerUrl: String(peerUrl), secret: String(secret), seenAt: Number(seenAt),
    })),
    leases: leases.map(([shard, owner, epoch, expiresAt]) => ({
      shard: Number(shard), owner: owner === null ? null : String(owner), epoch: Number(epoch), expiresAt: Number(expiresAt),
    })),
  };
}

/**
 * What an ownership round writes: `release` given up and `claim` taken by `owner` (each at its next
 * epoch), and every lease it then holds extended to `expiresAt` — statements the writer sends with
 * its batch's COMMIT.
 */
export function leaseChanges(owner: string, release: readonly number[], claim: readonly number[], expiresAt: number): Statement[] {
  const changes: Statement[] = [];
  if (release.length) {
    changes.push({
      text: 'update shard_leases set owner = null, expires_at = 0 where owner = ?1 and shard in (select value from json_each(?2))',
      params: [owner, JSON.stringify(release)],
    });
  }
  if (claim.length) {
    changes.push({
      text: 'update shard_leases set owner = ?1, epoch = epoch + 1, expires_at = ?2 where shard in (select value from json_each(?3))',
      params: [owner, expiresAt, JSON.stringify(claim)],
    });
  }
  changes.push({ text: 'update shard_leases set expires_at = ?2 where owner = ?1', params: [owner, expiresAt] });
  return changes;
}

/** Gives up every shard `owner` holds (a clean stop): another instance may claim them at once. */
export async function releaseAllShards(db: Executor, owner: string): Promise<void> {
  await execute(db, 'update shard_leases set owner = null, expires_at = 0 where owner = ?1', [owner]);
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
