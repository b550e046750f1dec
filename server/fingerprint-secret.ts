/**
 * The installation's secret for message fingerprints (server/limits/fingerprint.ts): from the
 * configuration, or from a key file created on first start — never in the database, so that the
 * log alone can't be searched for a guessed text.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { localPathOf } from '../db/client.ts';
import type { Config } from './config.ts';

/** The key file a configuration uses: the configured one, or `fingerprint.key` beside a local database (data/ otherwise). */
export function fingerprintKeyFile(config: Pick<Config, 'databaseUrl' | 'fingerprintKeyFile'>): string {
  if (config.fingerprintKeyFile) return config.fingerprintKeyFile;
  const local = localPathOf(config.databaseUrl);
  return join(local ? dirname(local) : 'data', 'fingerprint.key');
}

export function loadFingerprintSecret(config: Pick<Config, 'databaseUrl' | 'fingerprintKeyFile' | 'fingerprintSecret'>): Buffer {
  if (config.fingerprintSecret) return Buffer.from(config.fingerprintSecret, 'utf8');
  const file = fingerprintKeyFile(config);
  mkdirSync(dirname(file), { recursive: true });
  try {
    // Created exclusively: two services starting at once on a new installation agree on one secret.
    writeFileSync(file, randomBytes(32).toString('base64url') + '\n', { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const secret = readFileSync(file, 'utf8').trim();
  if (secret.length < 16) throw new Error(`the fingerprint key file ${file} holds fewer than 16 characters`);
  return Buffer.from(secret, 'utf8');
}
