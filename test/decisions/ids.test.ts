// Ids of logged decisions and sends (server/decisions/ids.ts): UUIDv7 (RFC 9562), so that their
// indexes grow at their end; and the direct conversation of two accounts, the same whichever sends.
import { describe, expect, it } from 'vitest';
import { timeOrderedId } from '../../server/decisions/ids.ts';
import { directConversationId } from '../../server/decisions/record.ts';

const uuidV7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('timeOrderedId', () => {
  it('is a UUIDv7 whose first 48 bits are the time given', () => {
    const ms = Date.UTC(2026, 11, 5, 18, 40);
    const id = timeOrderedId(ms);
    expect(id).toMatch(uuidV7);
    expect(parseInt(id.slice(0, 8) + id.slice(9, 13), 16)).toBe(ms);
  });

  it('never repeats within one millisecond, across many refills of its random bytes', () => {
    const ids = Array.from({ length: 5000 }, () => timeOrderedId(1_800_000_000_000));
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(uuidV7);
    // The random part varies in every position it may (not a constant drawn again).
    const randomHex = ids.map((id) => id.replaceAll('-', '').slice(13));
    for (let i = 0; i < randomHex[0].length; i++) expect(new Set(randomHex.map((h) => h[i])).size).toBeGreaterThan(1);
  });

  it('sorts as its times do', () => {
    const times = [1_700_000_000_000, 1_700_000_000_001, 1_700_000_065_536, 1_800_000_000_000];
    const ids = times.map((ms) => timeOrderedId(ms));
    expect([...ids].sort()).toEqual(ids);
  });
});

describe('directConversationId', () => {
  it('is the same whichever of the two sends, its ids in code-unit order', () => {
    expect(directConversationId('bob', 'alice')).toBe('dm:alice:bob');
    expect(directConversationId('alice', 'bob')).toBe('dm:alice:bob');
    expect(directConversationId('Zed', 'adam')).toBe('dm:Zed:adam');
    expect(directConversationId('a10', 'a9')).toBe('dm:a10:a9');
    expect(directConversationId('same', 'same')).toBe('dm:same:same');
  });
});
