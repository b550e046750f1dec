/**
 * Live figures: decisions per bucket by outcome, the top reasons and the totals over a period, read
 * from the per-minute tallies the deciding transaction keeps (never from the decision log).
 */
import type { Executor } from '../../../db/executor.ts';
import { decisionsPerBucket, latestTallyMinute, topReasons, type ReasonCount } from '../../../db/stores/decision-log.ts';
import { ApiError } from '../../http/errors.ts';
import { dayMs, hourMs, minuteMs } from '../../limits/windows.ts';
import type { Outcome } from '../../policy/document.ts';

export const bucketSizes = { minute: minuteMs, hour: hourMs, day: dayMs } as const;
export type BucketName = keyof typeof bucketSizes;

/** More buckets than this is a request for a coarser bucket or a shorter period. */
export const maxBuckets = 2000;
export const defaultPeriodMs = 60 * minuteMs;
const outcomes = ['allow', 'request', 'deny', 'limit'] as const;

export interface FiguresRequest {
  from?: number;
  to?: number;
  bucket: BucketName;
  version?: string;
  arm?: string;
  top: number;
}

/** The period actually covered: whole buckets from the one holding `from` up to `to` (exclusive). */
export interface Period {
  from: number;
  to: number;
  bucketMs: number;
  buckets: number;
}

type Counts = Record<(typeof outcomes)[number], number>;
const zero = (): Counts => ({ allow: 0, request: 0, deny: 0, limit: 0 });

export interface Figures {
  from: string;
  to: string;
  bucket: BucketName;
  series: Array<{ at: string } & Counts>;
  topReasons: Array<Omit<ReasonCount, 'outcome'> & { outcome: Outcome }>;
  totals: Counts & { all: number };
  /** The minute of the latest decision ever tallied, inside the period or not (null: none yet), so a client can pick a period that has some. */
  latestMinute: string | null;
}

/**
 * Resolves the period: `to` defaults to the end of the bucket holding `now`, `from` to 60 minutes
 * before `to` (so by default: the current minute and the 59 before it). Refuses an empty or reversed period and one of more than `maxBuckets` buckets.
 */
export function resolvePeriod(r: Pick<FiguresRequest, 'from' | 'to' | 'bucket'>, now: number): Period {
  const bucketMs = bucketSizes[r.bucket];
  const to = r.to ?? Math.floor(now / bucketMs) * bucketMs + bucketMs;
  const fromGiven = r.from ?? to - defaultPeriodMs;
  if (fromGiven >= to) throw new ApiError(400, 'invalid_request', '`to` must be later than `from`', 'query.to');
  const from = Math.floor(fromGiven / bucketMs) * bucketMs;
  const buckets = Math.ceil((to - from) / bucketMs);
  if (buckets > maxBuckets) {
    throw new ApiError(400, 'too_many_buckets', `the period holds ${buckets} ${r.bucket} buckets; at most ${maxBuckets}: choose a shorter period or a coarser bucket`, 'query.from');
  }
  return { from, to, bucketMs, buckets };
}

/** Reads the figures of a period, every bucket present (zero-filled), oldest first. */
export async function readFigures(db: Executor, r: FiguresRequest, now: number): Promise<Figures> {
  const period = resolvePeriod(r, now);
  const query = { from: period.from, to: period.to, bucketMs: period.bucketMs, version: r.version, arm: r.arm };
  const [counts, reasons, latest] = await Promise.all([decisionsPerBucket(db, query), topReasons(db, query, r.top), latestTallyMinute(db)]);

  const series = Array.from({ length: period.buckets }, (_, i) => ({ at: period.from + i * period.bucketMs, ...zero() }));
  const totals = { ...zero(), all: 0 };
  for (const { bucket, outcome, count } of counts) {
    const slot = series[(Number(bucket) - period.from) / period.bucketMs];
    if (!slot || !isOutcome(outcome)) continue;
    slot[outcome] += Number(count);
    totals[outcome] += Number(count);
    totals.all += Number(count);
  }
  return {
    from: new Date(period.from).toISOString(),
    to: new Date(period.to).toISOString(),
    bucket: r.bucket,
    series: series.map((s) => ({ ...s, at: new Date(s.at).toISOString() })),
    topReasons: reasons.map((x) => ({ reason: x.reason, outcome: x.outcome as Outcome, count: Number(x.count) })),
    totals,
    latestMinute: latest === null ? null : new Date(latest).toISOString(),
  };
}

const isOutcome = (o: string): o is (typeof outcomes)[number] => (outcomes as readonly string[]).includes(o);
