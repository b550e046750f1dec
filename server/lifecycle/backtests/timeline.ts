/** Times of counted events in the order they happened, counted from a start that only moves forward. */
export class Timeline {
  private times: number[] = [];
  /**
   * Who each event belongs to (an account number), for a timeline several accounts share (an app's
   * requests), so that one account's events can be dropped (a counter reset); null when untagged.
   */
  private tags: number[] | null;
  private head = 0;

  constructor(tagged = false) {
    this.tags = tagged ? [] : null;
  }

  /** `tag`: the event's account, on a tagged timeline. */
  add(at: number, tag = -1): void {
    this.times.push(at);
    this.tags?.push(tag);
  }

  /** Events at or after `since` (events are added in time order, so a binary search finds the first). */
  countSince(since: number): number {
    let lo = this.head;
    let hi = this.times.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.times[mid] < since) lo = mid + 1;
      else hi = mid;
    }
    return this.times.length - lo;
  }

  /** Drops events before `before`: no later window reaches them. */
  forget(before: number): void {
    while (this.head < this.times.length && this.times[this.head] < before) this.head++;
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
  }
}
