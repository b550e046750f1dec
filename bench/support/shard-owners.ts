/** Which sender shards each instance on a shared sqld owns, once they are dealt evenly (server/cluster/ownership.ts). */
import { createClient } from '@libsql/client';
import type { Child } from '../../test/support/child-service.ts';
import { shardCount } from '../../server/cluster/shards.ts';

/** Waits until every shard is owned by one of `instances`, each holding its even share; their shards, in order. */
export async function shardsByInstance(sqldHttpUrl: string, instances: Child[], timeoutMs = 20_000): Promise<number[][]> {
  const ids = instances.map((c) => {
    const id = /instance (\S+) on a shared database/.exec(c.output())?.[1];
    if (!id) throw new Error(`an instance did not say its id:\n${c.output()}`);
    return id;
  });
  const db = createClient({ url: sqldHttpUrl });
  try {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const rows = (await db.execute('select shard, owner from shard_leases')).rows;
      const shards = ids.map((id) => rows.filter((r) => r.owner === id).map((r) => Number(r.shard)));
      const even = shards.every((s) => Math.abs(s.length - shardCount / ids.length) < 1);
      if (even && shards.reduce((n, s) => n + s.length, 0) === shardCount) return shards;
      if (Date.now() > deadline) throw new Error(`shards not dealt evenly within ${timeoutMs} ms: ${shards.map((s) => s.length).join(', ')}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    db.close();
  }
}
