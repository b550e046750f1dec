/**
 * An exclusive lock on a file held by the operating system: SQLite's own POSIX advisory lock, taken
 * through a connection to an empty lock file and kept until released. Node has no flock; this is
 * the same lock SQLite relies on. The kernel keys it by the file itself (a symlink or another mount
 * reaches the same lock), grants it to one process at a time, and drops it when the process dies,
 * so a killed holder leaves nothing to take over and two starters can never both hold it.
 *
 * Never open a held lock file by other means in the holding process: closing any descriptor of a
 * file drops every POSIX lock the process has on it.
 */
import { NativeDatabase } from './native-driver.ts';

/**
 * Takes the lock on `path` (created empty if missing) without waiting; returns its release, or
 * null when another process — or another connection of this one — holds it.
 * @example const release = holdFileLock('data/db.sqlite.lock'); if (!release) refuse();
 */
export function holdFileLock(path: string): (() => void) | null {
  const connection = new NativeDatabase(path);
  try {
    connection.exec('PRAGMA busy_timeout = 0');
    // A write transaction that writes nothing: SQLite's RESERVED lock on the file, for as long as it
    // stays open. The file stays empty, so it can never need a journal or a recovery.
    connection.exec('BEGIN IMMEDIATE');
  } catch (error) {
    connection.close();
    if ((error as { code?: string }).code === 'SQLITE_BUSY') return null;
    throw error;
  }
  return () => {
    if (connection.inTransaction) connection.exec('ROLLBACK');
    connection.close();
  };
}
