// Which instance decides for a sender (server/cluster/shards.ts), and the address an instance
// publishes for the others (server/cluster/peer-server.ts): pure functions every instance must
// compute alike.
import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { peerAddress } from '../../server/cluster/peer-server.ts';
import { desiredOwner, shardCount, shardOf } from '../../server/cluster/shards.ts';

describe('shards of senders', () => {
  it('a sender always lands in the same shard, one of 64, and 10 000 senders spread over all of them', () => {
    expect(shardOf('alice')).toBe(shardOf('alice'));
    const counts = new Array<number>(shardCount).fill(0);
    for (let i = 0; i < 10_000; i++) counts[shardOf(`user-${i}`)]++;
    expect(counts.every((n) => n > 0)).toBe(true);
    // Even to within ±40 % of the 156 a shard would hold on average.
    expect(Math.min(...counts)).toBeGreaterThan(0.6 * (10_000 / shardCount));
    expect(Math.max(...counts)).toBeLessThan(1.4 * (10_000 / shardCount));
  });

  it('shards are dealt evenly over the live instances, whatever order each instance lists them in', () => {
    const ids = ['c-instance', 'a-instance', 'b-instance'];
    const dealt = Array.from({ length: shardCount }, (_, shard) => desiredOwner(shard, ids));
    expect(Array.from({ length: shardCount }, (_, shard) => desiredOwner(shard, [...ids].reverse()))).toEqual(dealt);
    const held = ids.map((id) => dealt.filter((owner) => owner === id).length).sort();
    expect(held).toEqual([21, 21, 22]);
    expect(desiredOwner(5, ['only'])).toBe('only');
    expect(desiredOwner(5, [])).toBeNull();
  });
});

describe('the peer server\'s published address', () => {
  it('is the listening host and port, the configured address when given, and the hostname on every interface', () => {
    expect(peerAddress('127.0.0.1', 4100, undefined)).toBe('http://127.0.0.1:4100');
    expect(peerAddress('::1', 4100, undefined)).toBe('http://[::1]:4100');
    expect(peerAddress('0.0.0.0', 4100, 'http://dm-policy-2.internal:9100/')).toBe('http://dm-policy-2.internal:9100');
    expect(peerAddress('0.0.0.0', 4100, undefined)).toBe(`http://${hostname()}:4100`);
  });
});
