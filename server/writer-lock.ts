/**
 * One service per local database file. The decision path keeps state in memory that is exact only
 * while this process is the file's only writer (server/decisions/hot-state.ts), so a service locks
 * what the database *is* — the file's device and inode — not what it is called: a second service
 * on the same file refuses to start whichever name reaches it (a symlink, a hard link, another
 * mount of its folder). The lock is the operating system's (db/file-lock.ts), so a killed holder's
 * lock is gone with it and two starters can never both take it.
 */
import { closeSync, mkdirSync, openSync, readFileSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { holdFileLock } from '../db/file-lock.ts';

/** The database files this process serves, by identity. */
const heldHere = new Set<string>();

interface DatabaseFile {
  /** The path with every symlink resolved. */
  real: string;
  /** Device and inode: the same for every name of the file. */
  identity: string;
  /** How many names (hard links) the file has. */
  links: bigint;
}

/** The database file at `path`, created empty when missing (a first start) so that it has an identity to lock. */
function databaseFile(path: string): DatabaseFile {
  mkdirSync(dirname(path), { recursive: true });
  // Only ever created here, never opened when it exists: closing a descriptor of a file drops the
  // POSIX locks this process's SQLite connections hold on it.
  try {
    closeSync(openSync(path, 'wx'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const real = realpathSync(path);
  const { dev, ino, nlink } = statSync(real, { bigint: true });
  return { real, identity: `${dev}-${ino}`, links: nlink };
}

/**
 * The lock file of a database: beside the file itself (not beside a symlink to it), named by its
 * identity, so that every name of the file in that folder or any mount of it maps here.
 */
const lockPathOf = (file: DatabaseFile) => join(dirname(file.real), `dm-policy-${file.identity}.writer-lock`);

/** Where the holder writes its pid, for a refusal to name it (the lock file itself stays empty). */
const holderNote = (lockPath: string) => `${lockPath}.pid`;

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The holder as its note names it; a holder that has not written its note yet, or runs elsewhere (another pid namespace), is "another process". */
function holderOf(lockPath: string): string {
  let pid = Number.NaN;
  try { pid = Number(readFileSync(holderNote(lockPath), 'utf8')); } catch { /* no note yet */ }
  return Number.isInteger(pid) && pid > 0 && pid !== process.pid && isRunning(pid) ? `process ${pid}` : 'another process';
}

/** Takes the lock of the database at `path`; returns its release. */
export function acquireWriterLock(path: string): () => void {
  const file = databaseFile(path);
  const named = resolve(path) === file.real ? path : `${path} (${file.real})`;
  const refuse = (holder: string) => new Error(
    `${named} is already served by ${holder}: one service per database file (several instances share a libSQL server instead)`,
  );
  if (heldHere.has(file.identity)) throw refuse('this process');
  const lockPath = lockPathOf(file);
  const releaseFileLock = holdFileLock(lockPath);
  if (!releaseFileLock) throw refuse(holderOf(lockPath));
  if (file.links > 1n) {
    releaseFileLock();
    // A name in another folder has a lock file of its own there; SQLite keeps a database's WAL beside
    // the name it was opened by, so two names served at once would each see half of the writes.
    throw new Error(`${named} has ${file.links} names (hard links): a database file is served by one name only, since SQLite keeps its WAL beside the name it is opened by; remove the other links`);
  }
  const note = holderNote(lockPath);
  writeFileSync(`${note}.${process.pid}`, String(process.pid));
  renameSync(`${note}.${process.pid}`, note);
  heldHere.add(file.identity);
  return () => {
    if (!heldHere.delete(file.identity)) return;
    rmSync(note, { force: true });
    releaseFileLock();
  };
}
