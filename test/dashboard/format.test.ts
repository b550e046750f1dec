// How shares read on the dashboard (dashboard/src/lib/format.ts): to the whole percent, but a small
// share never reads as none, nor a large one as all.
import { describe, expect, it } from 'vitest';
import { percent, quantity, shareWidth } from '../../dashboard/src/lib/format.ts';

describe('percent', () => {
  it('rounds to the whole percent', () => {
    expect(percent(1, 8)).toBe('13%');
    expect(percent(1, 200)).toBe('1%');
    expect(percent(10, 10)).toBe('100%');
    expect(percent(0, 10)).toBe('0%');
    expect(percent(0, 0)).toBe('0%');
  });

  it('says "<1%" for a share that is not none, and ">99%" for one that is not all', () => {
    expect(percent(3, 10_000)).toBe('<1%');
    expect(percent(9_997, 10_000)).toBe('>99%');
  });

  it('gives a bar its unrounded width', () => {
    expect(shareWidth(3, 10_000)).toBe('0.03%');
    expect(shareWidth(0, 0)).toBe('0%');
  });
});

describe('quantity', () => {
  it('makes the unit singular for one, as policy documents write units in the plural', () => {
    expect(quantity(1, 'sends')).toBe('1 send');
    expect(quantity(1, 'replies')).toBe('1 reply');
    expect(quantity(1, 'minutes')).toBe('1 minute');
    expect(quantity(0, 'sends')).toBe('0 sends');
    expect(quantity(500, 'sends')).toBe('500 sends');
  });
});
