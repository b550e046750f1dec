/**
 * CPU per enforced decision that the metrics add on the hot path: the decision observer (a labelled
 * counter and a histogram), the HTTP middleware's labelled counter, and a writer batch observer
 * shared by the batch's decisions — timed alone, beside the ~270–310 µs a decision costs
 * (bench/RESULTS.md).
 *
 * Run: tsx bench/metrics-observer.bench.ts [--calls=N]
 */
import { Metrics } from '../server/metrics/metrics.ts';
import type { DecisionResponse } from '../server/decisions/request.ts';

const calls = Number(process.argv.find((a) => a.startsWith('--calls='))?.slice('--calls='.length) ?? 1_000_000);

const response = (i: number): DecisionResponse => ({
  decision: i % 10 === 0 ? 'deny' : 'allow', reason: i % 10 === 0 ? 'recipient_not_following' : 'allowed', rule: i % 10 === 0 ? 'follow-gate' : null,
  policy: { name: 'dm', version: 'x-api-v2', arm: null }, retryAfterSeconds: null, quota: {}, recipients: [], conversationId: null, sendId: null, trace: null,
});

/** Microseconds of CPU per call of `fn` over `calls` calls, after a warm-up. */
function cpuMicrosPerCall(fn: (i: number) => void): number {
  for (let i = 0; i < 50_000; i++) fn(i);
  const start = process.cpuUsage();
  for (let i = 0; i < calls; i++) fn(i);
  const used = process.cpuUsage(start);
  return (used.user + used.system) / calls;
}

const metrics = new Metrics();
const responses = [response(0), response(1)];
const decision = cpuMicrosPerCall((i) => metrics.observeDecision(responses[i % 10 === 0 ? 0 : 1], 2.5));
const request = cpuMicrosPerCall(() => metrics.observeRequest('POST', '/v1/sends', 200));
// A batch holds up to 256 decisions; at one decision per batch it is paid in full.
const batch = cpuMicrosPerCall(() => metrics.observeBatch(1, 3.2));
console.log(JSON.stringify({
  calls, node: process.version,
  microsPerCall: { observeDecision: +decision.toFixed(3), observeRequest: +request.toFixed(3), observeBatch: +batch.toFixed(3) },
  perDecisionWorstCaseMicros: +(decision + request + batch).toFixed(3),
}));
