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

  it('reports the kept decision state\'s hit rate as the decision service counts it', async () => {
    const scraped = await scrape();
    const figures = s.service.decisions.keptState()!;
    expect(figures.hits + figures.misses).toBeGreaterThan(0);
    expect(sample(scraped, 'dm_policy_kept_state_lookups{result="hit"}')).toBe(figures.hits);
    expect(sample(scraped, 'dm_policy_kept_state_lookups{result="miss"}')).toBe(figures.misses);
    expect(sample(scraped, 'dm_policy_kept_state_hit_ratio')).toBeCloseTo(figures.hits / (figures.hits + figures.misses), 10);
    expect(sample(scraped, 'dm_policy_kept_state_entries{kind="senders"}')).toBe(figures.senders);
  });

  it('labels requests by route pattern, never by raw path', async () => {
    await s.call('GET', '/v1/accounts/someone-unique-123/counters', { now });
    await s.call('GET', '/no/such/path');
    const scraped = await scrape();
    expect(sample(scraped, 'dm_policy_http_requests_total{method="GET",route="/v1/accounts/:id/counters",status="200"}')).toBe(1);
    expect(sample(scraped, 'dm_policy_http_requests_total{method="GET",route="unmatched",status="404"}')).toBe(1);
    expect(scraped).not.toContain('someone-unique-123');
  });
});
