import { ObjectColumn } from './numbering.ts';
import type { Retention } from './retention.ts';

/**
 * Times of counted events in time order, counted from a start that only moves forward: what the
 * windows of the daily cap and the API limits count, live and replayed.
 */
export class Timeline {
  private times: number[] = [];
  /**
   * Who each event belongs to (an account number), for a timeline several accounts share (an app's
   * requests), so that one account's events can be dropped (a counter reset); null when untagged.
   */
  private tags: number[] | null;
  private head = 0;
  /**
   * The oldest event kept (times[head]), or Infinity when none; never later than it, which is all
   * the reads below need. Most reads ask for events at or after a time no later than it — nothing to
   * forget, all of them counted — and answer from this field alone, with no trip to the array (at a
   * million accounts, a cache miss each: the daily cap's count in a replay took 0.57 s of a
   * million-attempt backtest, 0.41 s with this; bench/RESULTS.md, session 20).
   */
  private oldest = Infinity;

  constructor(tagged = false) {
    this.tags = tagged ? [] : null;
  }

  /**
   * `tag`: the event's account, on a tagged timeline. Events usually come in time order; one that
   * doesn't (a simulated clock set back) is placed where its time puts it.
   */
  add(at: number, tag = -1): void {
    const { times } = this;
    if (times.length === this.head || times[times.length - 1] <= at) {
      times.push(at);
      this.tags?.push(tag);
      if (at < this.oldest) this.oldest = at;
      return;
    }
    const i = this.firstAfter(at); // after events of the same time: they arrived first
    times.splice(i, 0, at);
    this.tags?.splice(i, 0, tag);
    if (at < this.oldest) this.oldest = at;
  }

  /** Events at or after `since`. */
  countSince(since: number): number {
    return this.times.length - (since <= this.oldest ? this.head : this.firstFrom(since));
  }

  /** The k-th (0-based) oldest event at or after `since`, or null if there are not that many. */
  nthSince(since: number, k: number): number | null {
    const i = this.firstFrom(since) + k;
    return i < this.times.length ? this.times[i] : null;
  }

  /** The latest event, or null. */
  latest(): number | null {
    return this.times.length > this.head ? this.times[this.times.length - 1] : null;
  }

  /** Drops events before `before`: no later window reaches them. */
  forget(before: number): void {
    if (this.oldest >= before) return;
    while (this.head < this.times.length && this.times[this.head] < before) this.head++;
    this.oldest = this.head < this.times.length ? this.times[this.head] : Infinity;
    if (this.head > 1024 && this.head * 2 > this.times.length) {
      this.times = this.times.slice(this.head);
      this.tags = this.tags?.slice(this.head) ?? null;
      this.head = 0;
    }
  }

  /** Drops the events of account `tag` (a tagged timeline's). */
  dropTag(tag: number): void {
    const tags = this.tags!;
    const keep = this.times.map((_, i) => i).filter((i) => i >= this.head && tags[i] !== tag);
    this.times = keep.map((i) => this.times[i]);
    this.tags = keep.map((i) => tags[i]);
    this.head = 0;
    this.oldest = this.times.length ? this.times[0] : Infinity;
  }

  /** The events kept, in order (with their tags on a tagged timeline): for comparing states. */
  events(): Array<[number, number]> {
    const out: Array<[number, number]> = [];
    for (let i = this.head; i < this.times.length; i++) out.push([this.times[i], this.tags?.[i] ?? -1]);
    return out;
  }

  /** The index of the first event later than `at`. */
  private firstAfter(at: number): number {
    let lo = this.head;
    let hi = this.times.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.times[mid] <= at) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The index of the first event at or after `since` (a binary search: events are in time order). */
  private firstFrom(since: number): number {
    let lo = this.head;
    let hi = this.times.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.times[mid] < since) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/** A timeline per account number, each cut at the retention's horizon whenever it is written or read. */
export class AccountTimelines {
  private readonly timelines = new ObjectColumn<Timeline>();

  constructor(private readonly retention: Retention) {}

  add(account: number, at: number): void {
    let timeline = this.timelines.get(account);
    if (!timeline) this.timelines.set(account, (timeline = new Timeline()));
    timeline.forget(this.retention.horizon);
    timeline.add(at);
  }

  /** The account's timeline, if it ever had an event. */
  get(account: number): Timeline | undefined {
    const timeline = this.timelines.get(account);
    timeline?.forget(this.retention.horizon);
    return timeline;
  }

  /** Nothing of the account's counts any more (an operator's counter reset). */
  clear(account: number): void {
    this.timelines.set(account, undefined);
  }
}
