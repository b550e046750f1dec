/** GET /metrics: Prometheus text, behind the `metrics` (or `admin`) scope, counting what the service did. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, type TestService } from '../support/service.ts';
import { createToken } from '../xapi/support.ts';

const now = new Date('2026-03-02T10:00:00.000Z');

/** The value of the sample `name{labels}` in a scrape; undefined when absent. */
function sample(scrape: string, series: string): number | undefined {
  const line = scrape.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('metrics', () => {
  let s: TestService;
  let scraper: string;
  beforeAll(async () => {
    s = await startTestService({ preset: 'x-api-v2' });
    scraper = await createToken(s, { name: 'prometheus', scopes: ['metrics'] });
  });
  afterAll(async () => { await s?.close(); });

  const scrape = async () => {
    const res = await s.call('GET', '/metrics', { token: scraper });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    return String(res.body);
  };
  const send = (senderId: string, to: string) =>
    s.call('POST', '/v1/sends', { body: { senderId, recipientIds: [to], text: `hi ${to} from ${senderId}` }, now });

  it('needs a token with the metrics or admin scope', async () => {
    expect((await s.call('GET', '/metrics', { token: null })).status).toBe(401);
    const decide = await createToken(s, { name: 'backend', scopes: ['decide'] });
    const refused = await s.call('GET', '/metrics', { token: decide });
    expect(refused.status).toBe(403);
    expect(refused.body.error).toMatchObject({ code: 'forbidden', message: 'this credential lacks the "metrics" scope' });
    expect((await s.call('GET', '/metrics')).status).toBe(200);
  });

  it('counts decisions by outcome, reason, version and arm, and times them', async () => {
    const before = await scrape();
    const allowed = 'dm_policy_decisions_total{outcome="allow",reason="allowed",version="x-api-v2",arm=""}';
    const denied = 'dm_policy_decisions_total{outcome="deny",reason="recipient_not_following",version="x-api-v2",arm=""}';
    expect(sample(before, allowed)).toBeUndefined();
    expect((await s.call('PUT', '/v1/accounts/m2/following/m1', { body: {}, now })).status).toBe(200);
    for (let i = 0; i < 3; i++) expect((await send('m1', 'm2')).body.decision).toBe('allow');
    expect((await send('m1', 'm3')).body.decision).toBe('deny');

    const after = await scrape();
    expect(sample(after, allowed)).toBe(3);
    expect(sample(after, denied)).toBe(1);
    expect(sample(after, 'dm_policy_decision_duration_seconds_count')).toBe(4);
    expect(sample(after, 'dm_policy_decision_duration_seconds_bucket{le="+Inf"}')).toBe(4);
    expect(sample(after, 'dm_policy_http_requests_total{method="POST",route="/v1/sends",status="200"}')).toBe(4);
    expect(sample(after, 'dm_policy_http_requests_total{method="PUT",route="/v1/accounts/:id/following/:otherId",status="200"}')).toBe(1);
    // Counted once however often they are read.
    const again = await scrape();
    expect(sample(again, allowed)).toBe(3);
    expect(sample(again, 'dm_policy_http_requests_total{method="POST",route="/v1/sends",status="200"}')).toBe(4);
  });

  it('times writer batches: sequential writes commit one job a batch', async () => {
    const before = await scrape();
    for (let i = 0; i < 5; i++) expect((await s.call('PUT', `/v1/accounts/w${i}`, { body: { verified: true }, now })).status).toBe(200);
    const after = await scrape();
    const delta = (series: string) => sample(after, series)! - sample(before, series)!;
    expect(delta('dm_policy_writer_batch_jobs_count')).toBe(5);
    expect(delta('dm_policy_writer_batch_jobs_sum')).toBe(5);
    expect(delta('dm_policy_writer_batch_duration_seconds_count')).toBe(5);
  });

  it('reports what the decision state holds: accounts numbered, conversation pairs, groups', async () => {
    const entries = async () => {
      const scraped = await scrape();
      return Object.fromEntries(['accounts', 'conversation_pairs', 'groups', 'idempotency_answers'].map((kind) => [kind, sample(scraped, `dm_policy_state_entries{kind="${kind}"}`)]));
    };
    await s.service.store.indexer.caughtUp();
    const before = await entries();
    expect(before.accounts).toBe(s.service.state.world.accounts.size);
    expect(before.idempotency_answers).toBe(0);

    // Five accounts never seen, one conversation between two of them, one group of the other three.
    for (const [who, whom] of [['g2', 'g1'], ['g3', 'g1'], ['e2', 'e1']]) expect((await s.call('PUT', `/v1/accounts/${who}/following/${whom}`, { body: {}, now })).status).toBe(200);
    const grew = await entries();
    expect(grew.accounts).toBe(before.accounts! + 5);
    expect((await s.call('POST', '/v1/sends', { body: { senderId: 'e1', recipientIds: ['e2'], text: 'first' }, now })).body.decision).toBe('allow');
    const created = await s.call('POST', '/v1/sends', { body: { senderId: 'g1', recipientIds: ['g2', 'g3'], kind: 'group_create', text: 'a group' }, now });
    expect(created.body.decision).toBe('allow');
    const after = await entries();
    expect(after).toEqual({ accounts: grew.accounts, conversation_pairs: before.conversation_pairs! + 1, groups: before.groups! + 1, idempotency_answers: 0 });
  });

  it('counts idempotency keys by whether the filter of stored keys spared their look-up', async () => {
    const lookups = (scraped: string) => Object.fromEntries(['skipped', 'found', 'absent'].map((result) =>
      [result, sample(scraped, `dm_policy_idempotency_lookups_total{result="${result}"}`) ?? 0]));
    const before = await scrape();
    const keyed = (key: string) => s.call('POST', '/v1/sends', { body: { senderId: 'k1', recipientIds: ['k2'], text: `keyed ${key}`, idempotencyKey: key }, now });
    for (const key of ['ka', 'kb', 'kc']) expect((await keyed(key)).status).toBe(200);
    // A retry is answered from memory (its answer not yet forgotten): no look-up either way.
    expect((await keyed('ka')).status).toBe(200);
    const after = await scrape();
    expect(lookups(after)).toEqual({ ...lookups(before), skipped: lookups(before).skipped + 3 });
    const filtered = (scraped: string) => sample(scraped, 'dm_policy_state_entries{kind="idempotency_key_filter"}')!;
    expect(filtered(after)).toBe(filtered(before) + 3);
  });

  it('reports the latest rebuild: how long it took and the log rows it folded', async () => {
    await s.service.state.rebuild();
    const logged = (await s.call('GET', '/v1/decisions?limit=200')).body.items.length;
    const scraped = await scrape();
    expect(sample(scraped, 'dm_policy_state_rebuild_log_rows')).toBe(logged);
    expect(sample(scraped, 'dm_policy_state_rebuild_seconds')).toBe(s.service.state.lastRebuild.ms / 1000);
  });

  it('labels requests by route pattern, never by raw path', async () => {
    await s.call('GET', '/v1/accounts/someone-unique-123/counters', { now });
    await s.call('GET', '/no/such/path');
    const scraped = await scrape();
    expect(sample(scraped, 'dm_policy_http_requests_total{method="GET",route="/v1/accounts/:id/counters",status="200"}')).toBe(1);
    expect(sample(scraped, 'dm_policy_http_requests_total{method="GET",route="unmatched",status="404"}')).toBe(1);
    expect(scraped).not.toContain('someone-unique-123');
  });

  // Last: it stops the log indexer.
  it('reports how far the log indexer has come, the log rows it has not read yet, and the idempotency answers held until it does', async () => {
    const { indexer } = s.service.store;
    await indexer.caughtUp();
    const caughtUp = await scrape();
    expect(sample(caughtUp, 'dm_policy_log_indexed_through')).toBe(indexer.progress()!.indexedThrough);
    expect(sample(caughtUp, 'dm_policy_writer_queued_jobs')).toBe(0);
    expect(sample(caughtUp, 'dm_policy_log_index_pending_rows')).toBe(0);
    await indexer.stop();
    for (let i = 0; i < 3; i++) await send('m1', 'm2');
    const keyed = await s.call('POST', '/v1/sends', { body: { senderId: 'm1', recipientIds: ['m2'], text: 'once', idempotencyKey: 'k-1' }, now });
    expect(keyed.body.decision).toBe('allow');
    const stopped = await scrape();
    expect(sample(stopped, 'dm_policy_log_indexed_through')).toBe(sample(caughtUp, 'dm_policy_log_indexed_through'));
    expect(sample(stopped, 'dm_policy_log_index_pending_rows')).toBe(4);
    // On a local file memory lets an answer go as soon as it is indexed: only the one since the stop is held.
    expect(sample(caughtUp, 'dm_policy_state_entries{kind="idempotency_answers"}')).toBe(0);
    expect(sample(stopped, 'dm_policy_state_entries{kind="idempotency_answers"}')).toBe(1);
  });
});
