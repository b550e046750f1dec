/**
 * The X API v2 DM event listings driven by twitter-api-v2's paginators: what the service recorded,
 * newest first, metadata only, paged to the end — alike whether the log indexer has built the log
 * by account and by group for every event (in buckets of a few), or not yet for the newest ones.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiResponseError } from 'twitter-api-v2';
import { startTestService, type TestService } from '../support/service.ts';
import { importLines } from '../rules/limits/helpers.ts';
import { seconds } from './time.ts';
import { sent, thrown, userToken, xClient, type SimulatedClock } from './support.ts';

const t0 = Date.parse('2026-03-02T10:00:00.000Z');
const at = (offsetMs: number) => new Date(t0 + offsetMs);

/** How far the log indexer gets: through every event, or through the 1:1 messages only (it stops before the group's). */
const modes = [
  { name: 'every event indexed', stopBeforeGroup: false },
  { name: 'the group\'s events not indexed yet', stopBeforeGroup: true },
] as const;

describe.each(modes)('X API v2 DM events, x-api-v2, $name', ({ stopBeforeGroup }) => {
  let s: TestService;
  const clock: SimulatedClock = { now: at(0) };
  const clientOf = async (id: string) => xClient(s, await userToken(s, id, 'app1'), clock).client;
  let alice: Awaited<ReturnType<typeof clientOf>>;
  let bob: Awaited<ReturnType<typeof clientOf>>;
  let carol: Awaited<ReturnType<typeof clientOf>>;
  let groupId: string;
  /** Event ids in the order they were sent. */
  const eventIds: Record<string, string[]> = { aliceBob: [], group: [] };

  beforeAll(async () => {
    s = await startTestService({ preset: 'x-api-v2', logIndexer: { bucketSize: 4 } });
    // alice 11, bob 22, carol 33: everyone follows everyone and granted app1.
    const ids = ['11', '22', '33'];
    await importLines(s, [
      ...ids.flatMap((from) => ids.filter((to) => to !== from).map((to) => ({ type: 'follow', from, to }))),
      ...ids.map((account) => ({ type: 'app_grant', account, app: 'app1' })),
    ], at(0));
    [alice, bob, carol] = await Promise.all(ids.map(clientOf));
    // Seven messages between alice and bob, alternating, a second apart; then a group of three with two messages.
    for (let i = 0; i < 7; i++) {
      clock.now = at(seconds(i + 1));
      const from = i % 2 === 0 ? alice : bob;
      const res = await sent(from.v2.sendDmToParticipant(i % 2 === 0 ? '22' : '11', { text: `message ${i}: ${'x'.repeat(i)}` }));
      eventIds.aliceBob.push(res.data.dm_event_id);
    }
    await s.service.store.indexer.caughtUp();
    if (stopBeforeGroup) await s.service.store.indexer.stop();
    clock.now = at(seconds(10));
    const created = await sent(carol.v2.createDmConversation({ conversation_type: 'Group', participant_ids: ['11', '22'], message: { text: 'group hello' } }));
    groupId = created.data.dm_conversation_id;
    eventIds.group.push(created.data.dm_event_id);
    clock.now = at(seconds(11));
    eventIds.group.push((await sent(alice.v2.sendDmInConversation(groupId, { text: 'hi all' }))).data.dm_event_id);
    await s.service.store.indexer.caughtUp();
  });
  afterAll(async () => { await s?.close(); });

  it('reads what the mode says: the log by account is built through every event, or all but the group\'s two', async () => {
    const { body } = await s.call('GET', '/v1/decisions?account=11&limit=1');
    expect(body.index.pending).toBe(stopBeforeGroup ? 2 : 0);
  });

  it('listDmEvents pages to the end: every event of the user, newest first, three a page', async () => {
    const paginator = await alice.v2.listDmEvents({ max_results: 3 });
    expect(paginator.meta.result_count).toBe(3);
    await paginator.fetchLast();
    expect(paginator.done).toBe(true);
    const expected = [...eventIds.aliceBob, ...eventIds.group].reverse();
    expect(paginator.events.map((e) => e.id)).toEqual(expected);
    expect(paginator.meta.result_count).toBe(9);
    // Metadata only: the text is never stored, its length is.
    expect(paginator.events.at(-1)).toEqual({
      id: eventIds.aliceBob[0], event_type: 'MessageCreate', text: '', text_length: 'message 0: '.length,
      created_at: at(seconds(1)).toISOString(), sender_id: '11', dm_conversation_id: '11-22',
    });
    expect(paginator.events[0]).toMatchObject({ sender_id: '11', dm_conversation_id: groupId });
  });

  it('a next_token page, then its previous_token, give back the first page', async () => {
    const first = await bob.v2.listDmEvents({ max_results: 4 });
    const second = await first.next(4);
    expect(second.events.map((e) => e.id)).toEqual([...eventIds.aliceBob, ...eventIds.group].reverse().slice(4, 8));
    expect(second.meta).toEqual({ result_count: 4, next_token: expect.any(String), previous_token: expect.any(String) });
    const back = await s.call('GET', `/2/dm_events?max_results=4&pagination_token=${second.meta.previous_token}`, { token: await userToken(s, '22', 'app1') });
    expect(back.status).toBe(200);
    expect(back.body.data.map((e: { id: string }) => e.id)).toEqual(first.events.map((e) => e.id));
    expect(back.body.meta).toEqual({ result_count: 4, next_token: expect.any(String) });
  });

  it('listDmEventsWithParticipant: the messages of one pair, both ways', async () => {
    const paginator = await bob.v2.listDmEventsWithParticipant('11', { max_results: 100 });
    expect(paginator.events.map((e) => e.id)).toEqual([...eventIds.aliceBob].reverse());
    expect(paginator.meta).toEqual({ result_count: 7 });
    const none = await carol.v2.listDmEventsWithParticipant('11');
    expect(none.meta).toEqual({ result_count: 0 });
    expect(none.events).toEqual([]);
  });

  it('listDmEventsOfConversation: a group\'s messages for its participants; a stranger is refused', async () => {
    const paginator = await bob.v2.listDmEventsOfConversation(groupId);
    expect(paginator.events.map((e) => `${e.sender_id}:${e.id}`)).toEqual([`11:${eventIds.group[1]}`, `33:${eventIds.group[0]}`]);
    const stranger = xClient(s, await userToken(s, '44', 'app1'), clock).client;
    const error = await thrown<ApiResponseError>(() => stranger.v2.listDmEventsOfConversation(groupId));
    expect(error.code).toBe(403);
    expect(error.message).toBe(`Request failed with code 403 - Authorization Error: user 44 is not a participant of DM conversation ${groupId} `
      + '(see https://api.x.com/2/problems/not-authorized-for-resource)');
    const pair = await stranger.v2.listDmEventsOfConversation('11-22').catch((e: ApiResponseError) => e.code);
    expect(pair).toBe(403);
  });

  it('a conversation id that names no group is a 404; a token the service never issued is a 400', async () => {
    const missing = await thrown<ApiResponseError>(() => alice.v2.listDmEventsOfConversation('1000000000000000001'));
    expect(missing.code).toBe(404);
    expect(missing.data).toMatchObject({ title: 'Not Found Error', type: 'https://api.x.com/2/problems/resource-not-found' });
    const badToken = await thrown<ApiResponseError>(() => alice.v2.listDmEvents({ pagination_token: 'nonsense' }));
    expect(badToken.code).toBe(400);
    expect(badToken.data.detail).toBe('pagination_token: not a token this service issued');
  });

  it('event_types without MessageCreate selects nothing; an unknown event type is a 400', async () => {
    expect((await alice.v2.listDmEvents({ event_types: ['ParticipantsJoin'] })).meta).toEqual({ result_count: 0 });
    const bad = await thrown<ApiResponseError>(() => alice.v2.listDmEvents({ event_types: ['Whatever' as 'MessageCreate'] }));
    expect(bad.code).toBe(400);
    expect(bad.data.type).toBe('https://api.x.com/2/problems/invalid-request');
  });
});
