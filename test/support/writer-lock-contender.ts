/**
 * One process contending for the writer lock of the database at argv[2], for
 * test/decisions/single-writer.test.ts: prints "ready", then answers each line of stdin with one
 * JSON line — "acquire": { won: true } or { won: false, error }; "release": { released: true }.
 */
import { createInterface } from 'node:readline';
import { acquireWriterLock } from '../../server/writer-lock.ts';

const path = process.argv[2];
let release: (() => void) | null = null;
const answer = (value: object) => process.stdout.write(`${JSON.stringify(value)}\n`);

createInterface({ input: process.stdin }).on('line', (line) => {
  if (line === 'acquire') {
    try {
      release = acquireWriterLock(path);
      answer({ won: true });
    } catch (error) {
      answer({ won: false, error: (error as Error).message });
    }
  } else if (line === 'release') {
    release?.();
    release = null;
    answer({ released: true });
  }
});
console.log('ready');
