/**
 * Senders in shards, and which live instance each shard belongs to. Every instance computes the same
 * answer from the same list of live instances, so they agree on owners without asking each other;
 * the leases in the database (server/cluster/ownership.ts) make that agreement exclusive.
 */

/** How many shards senders are hashed into: the rows of `shard_leases` (db/migrations/0006). */
export const shardCount = 64;

/** FNV-1a over the id's UTF-16 code units: cheap, stable across processes and releases. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** The shard a sender's decisions are made in. */
export function shardOf(senderId: string): number {
  return hash(senderId) % shardCount;
}

/**
 * Which of the live instances (their ids) a shard belongs to: dealt round-robin over the ids in
 * order, so that n instances hold 64 / n shards each, give or take one.
 */
export function desiredOwner(shard: number, liveIds: readonly string[]): string | null {
  if (!liveIds.length) return null;
  const sorted = [...liveIds].sort();
  return sorted[shard % sorted.length];
}
