/**
 * One service per local database file. The decision path keeps state in memory that is exact only
 * while this process is the file's only writer (server/decisions/hot-state.ts), so a lock file
 * beside the database names the process serving it: a second service on the same file refuses to
 * start, and a lock left by a process that no longer runs (a killed one) is taken over.
 */
import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

const heldHere = new Set<string>();

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the lock of the database at `path`; returns its release. */
export function acquireWriterLock(path: string): () => void {
  const lockPath = `${path}.writer-lock`;
  const refuse = (holder: string) => new Error(
    `${path} is already served by ${holder}: one service per database file (several instances share a libSQL server instead)`,
  );
  if (heldHere.has(lockPath)) throw refuse('this process');
  // The database's folder may not exist yet (a first start): openStore creates it too.
  mkdirSync(dirname(path), { recursive: true });
  for (;;) {
    try {
      const fd = openSync(lockPath, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      heldHere.add(lockPath);
      return () => {
        heldHere.delete(lockPath);
        try { unlinkSync(lockPath); } catch { /* already gone */ }
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = Number(readFileSync(lockPath, 'utf8'));
      // Our own pid here is a lock from before a restart that reused it (a container's pid 1).
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && isRunning(pid)) throw refuse(`process ${pid}`);
      unlinkSync(lockPath);
    }
  }
}
