/**
 * The top frames of a V8 .cpuprofile (from `node --cpu-prof`): self time by function, and the time
 * spent under (inclusive of) the functions that take most. Optionally only the samples taken between
 * two timestamps (in µs since the profile's start), to look at one phase of a run.
 *
 * Also the self time by package (node_modules/<name>, the project's folders, node internals).
 *
 * Run: tsx bench/support/top-frames.ts PROFILE.cpuprofile [--top 25] [--from µs] [--to µs]
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';

interface Node { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }
interface Profile { nodes: Node[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number }

const args = process.argv.slice(2);
const file = args.find((a) => !a.startsWith('--'))!;
const opt = (name: string, fallback: number) => { const i = args.indexOf(`--${name}`); return i >= 0 ? Number(args[i + 1]) : fallback; };
const top = opt('top', 25);
const from = opt('from', 0);
const to = opt('to', Infinity);

const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

const label = (n: Node) => {
  const { functionName, url, lineNumber } = n.callFrame;
  const where = url ? `${relative(process.cwd(), url.replace(/^file:\/\//, ''))}:${lineNumber + 1}` : '';
  return `${functionName || '(anonymous)'} ${where}`.trim();
};

const packageOf = (n: Node) => {
  const url = n.callFrame.url;
  if (!url) return n.callFrame.functionName.startsWith('(') ? n.callFrame.functionName : '(native)';
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1];
  if (url.startsWith('node:')) return 'node internals';
  const local = /\/(server|db|bench|test)\/([^/]+)/.exec(url);
  return local ? `${local[1]}/${local[2].replace(/\.ts$/, '')}` : url;
};

const self = new Map<string, number>();
const byPackage = new Map<string, number>();
const inclusive = new Map<string, number>();
let total = 0;
let t = 0;
profile.samples.forEach((id, i) => {
  t += profile.timeDeltas[i];
  if (t < from || t > to) return;
  const dt = profile.timeDeltas[i];
  total += dt;
  const leaf = byId.get(id)!;
  self.set(label(leaf), (self.get(label(leaf)) ?? 0) + dt);
  byPackage.set(packageOf(leaf), (byPackage.get(packageOf(leaf)) ?? 0) + dt);
  const seen = new Set<string>();
  for (let n: Node | undefined = leaf; n; n = byId.get(parent.get(n.id)!)) {
    const l = label(n);
    if (seen.has(l)) continue;
    seen.add(l);
    inclusive.set(l, (inclusive.get(l) ?? 0) + dt);
  }
});

const show = (title: string, m: Map<string, number>) => {
  console.log(`${title} (of ${(total / 1e6).toFixed(2)} s sampled)`);
  for (const [l, us] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`  ${(100 * us / total).toFixed(1).padStart(5)}%  ${(us / 1e3).toFixed(0).padStart(7)} ms  ${l}`);
  }
};
show('self time', self);
show('inclusive time', inclusive);
show('self time by package', byPackage);
