/**
 * One contending writer process for test/db/durability.test.ts: opens the store at argv[2], prints
 * "ready", waits for a line on stdin, then writes argv[4] accounts `<argv[3]>-<i>` concurrently through
 * the store's writer and prints one JSON line: { resolved: string[], rejected: { id, error }[] }.
 */
import { createInterface } from 'node:readline';
import { openStore } from '../../../db/client.ts';
import { accounts } from '../../../db/schema.ts';

const [url, prefix, countArg, timeoutArg] = process.argv.slice(2);
const count = Number(countArg);
const store = await openStore({ url, timeoutMs: Number(timeoutArg ?? 10_000) });
console.log('ready');
const lines = createInterface({ input: process.stdin });
await new Promise<void>((resolve) => lines.once('line', () => resolve()));
lines.close();

const ids = Array.from({ length: count }, (_, i) => `${prefix}-${i}`);
const settled = await Promise.allSettled(ids.map((id, i) => store.writer.write((tx) => tx.insert(accounts).values({ id, updatedAt: i }))));
const resolved: string[] = [];
const rejected: Array<{ id: string; error: string }> = [];
settled.forEach((s, i) => {
  if (s.status === 'fulfilled') resolved.push(ids[i]);
  else rejected.push({ id: ids[i], error: String((s.reason as any)?.cause ?? s.reason).slice(0, 200) });
});
await store.writer.idle();
store.close();
console.log(JSON.stringify({ resolved, rejected }));
