/**
 * The import client, run as a child process by bench/import-scale.bench.ts: streams the world as
 * NDJSON (generated chunk by chunk, never a file, never held whole) into POST /v1/import over
 * loopback, honouring back-pressure, and sends the status, the answer and its own timing over IPC.
 */
import { request } from 'node:http';
import { importChunks, type WorldSize } from './world.ts';

const { url, token, world } = JSON.parse(process.argv[2]) as { url: string; token: string; world: WorldSize };

const started = performance.now();
let bytes = 0;
const req = request(url, {
  method: 'POST',
  headers: { 'content-type': 'application/x-ndjson', authorization: `Bearer ${token}` },
});
const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
  req.on('response', (res) => {
    let body = '';
    res.setEncoding('utf8');
    res.on('data', (d) => { body += d; });
    res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
  });
  req.on('error', reject);
});
let sentAt = 0;
for (const chunk of importChunks(world)) {
  bytes += Buffer.byteLength(chunk);
  if (!req.write(chunk)) await new Promise((resolve) => req.once('drain', resolve));
}
req.end();
sentAt = performance.now();
const { status, body } = await answer;
const done = performance.now();
process.send!({
  status, body, bytes, sendSeconds: (sentAt - started) / 1000, seconds: (done - started) / 1000,
  clientPeakRss: process.resourceUsage().maxRSS * 1024,
}, () => process.exit(0));
