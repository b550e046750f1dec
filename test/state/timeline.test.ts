/**
 * Timeline (server/state/timeline.ts), what the daily cap's and the API windows' counts rest on,
 * against a plain sorted list under random histories: events mostly in time order but sometimes set
 * back (a simulated clock), a horizon moving forward, counts and the k-th event from random times,
 * and one account's events dropped from a shared timeline.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Timeline } from '../../server/state/timeline.ts';

type Op =
  | { kind: 'add'; step: number; back: boolean; tag: number }
  | { kind: 'forget'; step: number }
  | { kind: 'count'; offset: number; k: number }
  | { kind: 'drop'; tag: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant('add' as const), step: fc.integer({ min: 0, max: 5 }), back: fc.boolean(), tag: fc.integer({ min: 0, max: 3 }) }), weight: 6 },
  { arbitrary: fc.record({ kind: fc.constant('forget' as const), step: fc.integer({ min: 0, max: 8 }) }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('count' as const), offset: fc.integer({ min: -12, max: 12 }), k: fc.integer({ min: 0, max: 4 }) }), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constant('drop' as const), tag: fc.integer({ min: 0, max: 3 }) }), weight: 1 },
);

describe('Timeline', () => {
  it('counts, finds the k-th event and forgets as a sorted list does, whatever the history', () => {
    fc.assert(fc.property(fc.array(op, { minLength: 50, maxLength: 1500, size: 'max' }), (ops) => {
      const timeline = new Timeline(true);
      // The model: [time, tag] in arrival order within a time, sorted by time.
      let model: Array<[number, number]> = [];
      let clock = 0;
      let horizon = -Infinity;
      for (const o of ops) {
        if (o.kind === 'add') {
          clock += o.step;
          const at = o.back ? clock - 3 * o.step : clock;
          timeline.add(at, o.tag);
          const i = model.findIndex(([t]) => t > at);
          model.splice(i < 0 ? model.length : i, 0, [at, o.tag]);
        } else if (o.kind === 'forget') {
          horizon = Math.max(horizon, clock - o.step);
          timeline.forget(horizon);
          model = model.filter(([t]) => t >= horizon);
        } else if (o.kind === 'count') {
          const since = clock + o.offset;
          const kept = model.filter(([t]) => t >= since);
          expect(timeline.countSince(since)).toBe(kept.length);
          expect(timeline.nthSince(since, o.k)).toBe(kept[o.k]?.[0] ?? null);
          expect(timeline.latest()).toBe(model.length ? model[model.length - 1][0] : null);
        } else {
          timeline.dropTag(o.tag);
          model = model.filter(([, tag]) => tag !== o.tag);
        }
      }
      expect(timeline.events()).toEqual(model);
    }), { numRuns: 300 });
  });

  it('keeps counting right across the compaction of a long-forgotten head', () => {
    const timeline = new Timeline();
    for (let at = 0; at < 5000; at++) timeline.add(at);
    timeline.forget(3000); // past 1 024 forgotten and more than half: the array is cut
    expect(timeline.countSince(0)).toBe(2000);
    expect(timeline.countSince(4000)).toBe(1000);
    expect(timeline.nthSince(0, 0)).toBe(3000);
    timeline.add(2500); // set back before the kept ones: the oldest now
    expect(timeline.countSince(2500)).toBe(2001);
    expect(timeline.nthSince(0, 0)).toBe(2500);
    timeline.forget(2600);
    expect(timeline.countSince(0)).toBe(2000);
  });
});
