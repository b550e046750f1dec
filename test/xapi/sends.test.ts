/**
 * The X API v2 send endpoints driven by the unmodified twitter-api-v2 client over HTTP, on the
 * x-api-v2 preset: each send is the policy's enforced decision, and a refusal says which rule fired.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiResponseError } from 'twitter-api-v2';
import { startTestService, type TestService } from '../support/service.ts';
import { minutes, seconds } from './time.ts';
import { sent, thrown, userToken, xClient, type SimulatedClock } from './support.ts';

/**
 * 10:00 UTC two days ahead of the real clock: the rate-limit plugin forgets what it was told once the
 * real clock passes a window's reset, so the simulated clock runs ahead of it.
 */
const t0 = Math.floor(Date.now() / 86_400_000) * 86_400_000 + 2 * 86_400_000 + 10 * 3_600_000;
const at = (offsetMs: number) => new Date(t0 + offsetMs);
const epochSeconds = (ms: number) => Math.ceil(ms / 1000);

describe('X API v2 sends, x-api-v2', () => {
  let s: TestService;
  beforeAll(async () => { s = await startTestService({ preset: 'x-api-v2' }); });
  afterAll(async () => { await s?.close(); });

  const put = async (path: string, now: Date) => {
    const res = await s.call('PUT', path, { body: {}, now });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  };
  /** `user` with a token of app1 it granted, and followed by `followers`. */
  async function user(id: string, followers: string[], clock: SimulatedClock) {
    await put(`/v1/accounts/${id}/app-grants/app1`, clock.now);
    for (const f of followers) await put(`/v1/accounts/${f}/following/${id}`, clock.now);
    return xClient(s, await userToken(s, id, 'app1'), clock);
  }

  it('sendDmToParticipant: 201 with the 1:1 conversation <low>-<high>, recorded as an API send of the token\'s app', async () => {
    const clock = { now: at(0) };
    const { client, rateLimits } = await user('1000', ['200'], clock);
    const result = await sent(client.v2.sendDmToParticipant('200', { text: 'hello over the X API' }));
    expect(result).toEqual({
      data: { dm_conversation_id: '200-1000', dm_event_id: expect.stringMatching(/^[0-9]{1,19}$/) },
      dm_policy: {
        decision: 'allow', reason: 'allowed', rule: null, policy: { name: 'dm', version: 'x-api-v2', arm: null }, delivery: 'conversation',
        daily: { limit: 1000, used: 1, remaining: 999, resets_at: at(minutes(24 * 60)).toISOString() }, retry_after_seconds: null,
      },
    });
    const log = await s.call('GET', '/v1/decisions?account=1000');
    expect(log.body.items).toHaveLength(1);
    expect(log.body.items[0]).toMatchObject({ sender: '1000', recipients: ['200'], kind: 'direct', channel: 'api', decision: 'allow' });
    const counters = await s.call('GET', '/v1/accounts/1000/counters', { now: clock.now });
    expect(counters.body).toMatchObject({ daily: { used: 1 }, api: { user15m: 1, user24h: 1 } });
    // The 201's headers: the user's windows, and the app's (the first request of app1 in this suite).
    expect(rateLimits.getRateLimit(`${s.url}/2/dm_conversations/with/:participant_id/messages`, 'POST')).toEqual({
      limit: 200, remaining: 199, reset: epochSeconds(t0 + minutes(15)),
      userDay: { limit: 1000, remaining: 999, reset: epochSeconds(t0 + minutes(24 * 60)) },
      day: { limit: 15000, remaining: 14999, reset: epochSeconds(t0 + minutes(24 * 60)) },
    });
  });

  it('createDmConversation then sendDmInConversation: the group\'s 19-digit id, then messages in it and in a 1:1 id', async () => {
    const clock = { now: at(0) };
    const { client } = await user('2000', ['201', '202'], clock);
    const created = await sent(client.v2.createDmConversation({ conversation_type: 'Group', participant_ids: ['201', '202'], message: { text: 'welcome, both' } }));
    const groupId = created.data.dm_conversation_id;
    expect(groupId).toMatch(/^[12][0-9]{18}$/);
    expect(created.dm_policy).toMatchObject({ decision: 'allow', delivery: 'conversation' });

    clock.now = at(seconds(5));
    const inGroup = await sent(client.v2.sendDmInConversation(groupId, { text: 'a second message' }));
    expect(inGroup.data.dm_conversation_id).toBe(groupId);
    expect(inGroup.data.dm_event_id).not.toBe(created.data.dm_event_id);
    const log = await s.call('GET', '/v1/decisions?account=2000');
    expect(log.body.items.map((d: { kind: string; channel: string }) => `${d.kind}/${d.channel}`)).toEqual(['group_message/api', 'group_create/api']);

    const direct = await sent(client.v2.sendDmInConversation('201-2000', { text: 'just you' }));
    expect(direct.data.dm_conversation_id).toBe('201-2000');
  });

  it('a refusal\'s ApiResponseError.message names the deciding rule, its reason and what it says', async () => {
    const clock = { now: at(0) };
    const { client } = await user('3000', [], clock);
    const error = await thrown<ApiResponseError>(() => client.v2.sendDmToParticipant('301', { text: 'hi stranger' }));
    expect(error).toBeInstanceOf(ApiResponseError);
    expect(error.code).toBe(403);
    expect(error.message).toBe('Request failed with code 403 - Forbidden: Refused by rule "follow-gate" (recipient_not_following) of policy dm x-api-v2: '
      + 'Account X can DM account Y via the API if Y follows X or Y has already sent a message to X (or accepted X\'s request). '
      + '(see urn:dm-policy:refusal:recipient_not_following)');
    expect(error.data).toMatchObject({ status: 403, title: 'Forbidden', type: 'urn:dm-policy:refusal:recipient_not_following' });
    expect(error.data.errors).toEqual([expect.objectContaining({ reason: 'recipient_not_following', rule: 'follow-gate' })]);
    // A refused request still counts toward R12, and says so in its headers.
    expect(error.rateLimit).toEqual({
      limit: 200, remaining: 199, reset: epochSeconds(t0 + minutes(15)),
      userDay: { limit: 1000, remaining: 999, reset: epochSeconds(t0 + minutes(24 * 60)) },
      day: { limit: 15000, remaining: expect.any(Number), reset: expect.any(Number) },
    });
  });

  it('a group refusal lists every refused participant in errors', async () => {
    const clock = { now: at(0) };
    const { client } = await user('4000', ['401'], clock);
    const error = await thrown<ApiResponseError>(() => client.v2.createDmConversation({
      conversation_type: 'Group', participant_ids: ['401', '402', '403'], message: { text: 'hello group' },
    }));
    expect(error.code).toBe(403);
    expect((error.data.errors as unknown as Array<{ resource_id: string; reason: string }>).map((e) => `${e.resource_id}:${e.reason}`))
      .toEqual(['402:invitee_not_follower', '403:invitee_not_follower']);
    expect(error.data.detail).toMatch(/^Refused by rule "group-invite-follower" \(invitee_not_follower\) of policy dm x-api-v2 for participant 402: /);
  });

  it('the 201st request in 15 minutes is a rate-limit error whose reset is the window\'s reopening', async () => {
    const clock = { now: at(0) };
    const { client, rateLimits } = await user('5000', ['501'], clock);
    // Request i at t0 + 3 s × i: the 200th at 9 min 57 s.
    for (let i = 0; i < 200; i++) {
      clock.now = at(seconds(3 * i));
      await sent(client.v2.sendDmToParticipant('501', { text: `message ${i}` }));
    }
    clock.now = at(minutes(10));
    const error = await thrown<ApiResponseError>(() => client.v2.sendDmToParticipant('501', { text: 'one too many' }));
    expect(error.code).toBe(429);
    expect(error.rateLimitError).toBe(true);
    expect(error.rateLimit).toMatchObject({ limit: 200, remaining: 0, reset: epochSeconds(t0 + minutes(15)) });
    expect(error.rateLimit!.userDay).toEqual({ limit: 1000, remaining: 800, reset: epochSeconds(t0 + minutes(24 * 60)) });
    expect(error.headers['retry-after']).toBe(String(5 * 60));
    expect(error.message).toBe('Request failed with code 429 - Too Many Requests: Limited by rule "api-user-15m" (api_rate_limit) of policy dm x-api-v2: '
      + 'A user makes at most apiUserPer15Min send requests per 15 minutes. Retry in 300 s. (see urn:dm-policy:refusal:api_rate_limit)');
    // The rate-limit plugin keeps what the service said for the endpoint.
    const kept = await rateLimits.getRateLimit(`${s.url}/2/dm_conversations/with/:participant_id/messages`, 'POST');
    expect(kept).toEqual(error.rateLimit);
    expect(rateLimits.hasHitRateLimit(kept)).toBe(true);

    // At the reopening a retry succeeds, and the window is full again.
    clock.now = at(minutes(15));
    const retried = await sent(client.v2.sendDmToParticipant('501', { text: 'on time' }));
    expect(retried.dm_policy.decision).toBe('allow');
  }, 120_000);

  it('five replies after a received message are free; the sixth counts toward the daily cap', async () => {
    const clock = { now: at(0) };
    const { client } = await user('6000', [], clock);
    const peer = await user('601', [], clock);
    await put('/v1/accounts/6000/following/601', clock.now);
    const first = await sent(peer.client.v2.sendDmToParticipant('6000', { text: 'can you help me?' }));
    expect(first.dm_policy.decision).toBe('allow');

    const replies = [];
    for (let i = 1; i <= 6; i++) {
      clock.now = at(minutes(i));
      replies.push((await sent(client.v2.sendDmToParticipant('601', { text: `reply ${i}` }))).dm_policy);
    }
    expect(replies.map((r) => `${r.reason}:${r.daily!.used}`)).toEqual([
      'reply_window:0', 'reply_window:0', 'reply_window:0', 'reply_window:0', 'reply_window:0', 'allowed:1',
    ]);
  });

  it('a message the inbox setting admits only as a request says it went to message requests', async () => {
    const x2023 = await startTestService({ preset: 'x-2023' });
    try {
      const now = at(0);
      expect((await x2023.call('PUT', '/v1/accounts/7000/app-grants/app1', { body: {}, now })).status).toBe(200);
      const { client } = xClient(x2023, await userToken(x2023, '7000', 'app1'), { now });
      const result = await sent(client.v2.sendDmToParticipant('701', { text: 'hello, new person' }));
      expect(result.dm_policy).toMatchObject({ decision: 'request', reason: 'message_request', rule: 'inbox-setting', delivery: 'message_requests' });
    } finally {
      await x2023.close();
    }
  });
});
