/** Times of counted events in the order they happened, counted from a start that only moves forward. */
export class Timeline {
  private times: number[] = [];
  private tags: string[] = [];
  private head = 0;

  /** `tag` names who the event belongs to, so that one account's events can be dropped (a counter reset). */
  add(at: number, tag = ''): void {
    this.times.push(at);
    this.tags.push(tag);
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
      this.tags = this.tags.slice(this.head);
      this.head = 0;
    }
  }

  dropTag(tag: string): void {
    const keep = this.times.map((_, i) => i).filter((i) => i >= this.head && this.tags[i] !== tag);
    this.times = keep.map((i) => this.times[i]);
    this.tags = keep.map((i) => this.tags[i]);
    this.head = 0;
  }

  get size(): number {
    return this.times.length - this.head;
  }
}
