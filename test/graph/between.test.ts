// SocialGraph.between (server/graph/social-graph.ts): what a decision reads of the graph between a
// sender and a recipient, from one look-up of their pair, is what was set and cleared — on a random
// graph of follows, blocks and welcome messages kept beside it as plain sets of edges, both ways
// round, for accounts never met too.
import { describe, expect, it } from 'vitest';
import { SocialGraph } from '../../server/graph/social-graph.ts';
import { AccountNumbers } from '../../server/state/numbering.ts';

/** A small deterministic random source (mulberry32), so a failure repeats. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('the edges between two accounts', () => {
  it('are the edges asked one by one, both ways, on a random graph', () => {
    const accounts = new AccountNumbers();
    const graph = new SocialGraph(accounts);
    /** The same edges as plain sets of "a b": follows, blocks, and "a was shown b's welcome". */
    const model = { follows: new Set<string>(), blocks: new Set<string>(), welcomeShown: new Set<string>() };
    const setIn = (edges: Set<string>, a: string, b: string, on: boolean) => (on ? edges.add(`${a} ${b}`) : edges.delete(`${a} ${b}`));
    const next = random(7);
    const id = () => `b${Math.floor(next() * 40)}`;
    for (let i = 0; i < 3000; i++) {
      const [a, b] = [id(), id()];
      const [draw, on] = [next(), next()];
      if (draw < 0.45) {
        graph.setFollow(a, b, on < 0.8);
        setIn(model.follows, a, b, on < 0.8);
      } else if (draw < 0.8) {
        graph.setBlock(a, b, on < 0.7);
        setIn(model.blocks, a, b, on < 0.7);
      } else {
        graph.markWelcomeShown(a, b);
        setIn(model.welcomeShown, a, b, true);
      }
    }
    const has = (edges: Set<string>, a: string, b: string) => edges.has(`${a} ${b}`);
    let checked = 0;
    // b40–b44 were never numbered: nothing lies between them and anyone.
    for (let i = 0; i < 45; i++) {
      for (let j = 0; j < 45; j++) {
        const [a, b] = [`b${i}`, `b${j}`];
        expect(graph.between(accounts.find(a), accounts.find(b)), `${a} → ${b}`).toEqual({
          aFollowsB: has(model.follows, a, b),
          bFollowsA: has(model.follows, b, a),
          blocked: has(model.blocks, a, b) || has(model.blocks, b, a),
          bShownWelcomeOfA: has(model.welcomeShown, b, a),
        });
        checked++;
      }
    }
    expect(checked).toBe(45 * 45);
  });

  it('tells each direction apart', () => {
    const accounts = new AccountNumbers();
    const graph = new SocialGraph(accounts);
    graph.setFollow('ann', 'bo', true);
    graph.setBlock('bo', 'ann', true);
    graph.markWelcomeShown('bo', 'ann');
    const [ann, bo] = [accounts.find('ann'), accounts.find('bo')];
    expect(graph.between(ann, bo)).toEqual({ aFollowsB: true, bFollowsA: false, blocked: true, bShownWelcomeOfA: true });
    expect(graph.between(bo, ann)).toEqual({ aFollowsB: false, bFollowsA: true, blocked: true, bShownWelcomeOfA: false });
    graph.setBlock('bo', 'ann', false);
    expect(graph.between(ann, bo).blocked).toBe(false);
  });
});
