/**
 * The NDJSON bulk load of accounts and edges, in two steps: staging receives the body and checks
 * every line, writing the rows to a file on local disk, while the service goes on deciding; then
 * that file is applied, all or nothing, never waiting on the network — on a local database file by
 * a thread of its own beside the in-memory state (applyStagedImportAlongside), on a server in one
 * writer job.
 */
import { tmpdir } from 'node:os';
import { dirname } from 'node:path';
import { z } from '@hono/zod-openapi';
import type { Store } from '../../db/client.ts';
import type { Executor } from '../../db/executor.ts';
import { startImportWriter } from '../../db/import-writer.ts';
import { runStatements, type Statement } from '../../db/statements.ts';
import { insertEdgesStatement, upsertAccountsStatements } from '../../db/stores/graph.ts';
import { ApiError, formatPath } from '../http/errors.ts';
import { issueMessage, issuePath } from '../http/errors.ts';
import type { LiveState } from '../state/live-state.ts';
import { applyImportedAccounts, applyImportedEdges, type ImportedAccount } from './graph-writes.ts';
import { StagingFile } from './import-staging.ts';
import { AccountFields, GraphId } from './routes.ts';

export interface ImportLimits {
  /** The whole body, in bytes. */
  maxBodyBytes: number;
  /** One line, in characters. */
  maxLineChars: number;
  /** Rows per INSERT statement. */
  chunkRows: number;
  /** How long the body may stall before the import is abandoned (a stalled client keeps a connection and a staging file). */
  readIdleMs: number;
}

export const defaultImportLimits: ImportLimits = { maxBodyBytes: 2 * 1024 ** 3, maxLineChars: 64 * 1024, chunkRows: 5000, readIdleMs: 30_000 };

const edgeLine = <T extends string>(type: T, selfRefusal: string) =>
  z.object({ type: z.literal(type), from: GraphId, to: GraphId }).strict()
    .refine((l) => l.from !== l.to, { path: ['to'], message: selfRefusal });

/** One line of an import; `from`/`to` read like the routes: `from` follows, blocks, reports, accepts, was shown `to`. */
export const ImportLine = z.discriminatedUnion('type', [
  z.object({ type: z.literal('account'), id: GraphId, ...AccountFields.shape }).strict(),
  edgeLine('follow', 'an account cannot follow itself'),
  edgeLine('block', 'an account cannot block itself'),
  edgeLine('report', 'an account cannot report itself'),
  edgeLine('accepted', 'an account cannot accept its own message request'),
  edgeLine('welcome_shown', 'an account cannot be shown its own welcome message'),
  z.object({ type: z.literal('app_grant'), account: GraphId, app: GraphId }).strict(),
]);
export type ImportLine = z.infer<typeof ImportLine>;

export interface ImportResult {
  imported: { accounts: number; follows: number; blocks: number; reports: number; accepted: number; welcomeShown: number; appGrants: number };
  /** Lines read, blank ones included: the number of the last line. */
  lines: number;
}

const invalid = (line: number, message: string, path: ReadonlyArray<PropertyKey> = []) =>
  new ApiError(400, 'invalid_import', `line ${line}: ${message}`, formatPath([`line ${line}`, ...path]));

type Table = keyof ImportResult['imported'];

/** The tables in the order of their tag in the staging file. */
const tables = ['accounts', 'follows', 'blocks', 'reports', 'accepted', 'welcomeShown', 'appGrants'] as const satisfies readonly Table[];
const tagOf = Object.fromEntries(tables.map((table, tag) => [table, tag])) as Record<Table, number>;

/**
 * Rows waiting to be staged, per table, each chunk written as the JSON its INSERT takes: accounts
 * as objects, edges as `[from, to]` pairs.
 */
class Chunks {
  private rows: Record<Table, unknown[]> = { accounts: [], follows: [], blocks: [], reports: [], accepted: [], welcomeShown: [], appGrants: [] };

  constructor(private readonly file: StagingFile, private readonly size: number) {}

  /** Queues one valid line; returns its table when that chunk is full and must be staged. */
  add(line: ImportLine): Table | null {
    switch (line.type) {
      case 'account': {
        const { type: _, ...account } = line;
        return this.push('accounts', account);
      }
      case 'app_grant': return this.push('appGrants', [line.account, line.app]);
      case 'follow': return this.push('follows', [line.from, line.to]);
      case 'block': return this.push('blocks', [line.from, line.to]);
      case 'report': return this.push('reports', [line.from, line.to]);
      case 'accepted': return this.push('accepted', [line.from, line.to]);
      case 'welcome_shown': return this.push('welcomeShown', [line.from, line.to]);
    }
  }

  private push(table: Table, row: unknown): Table | null {
    return this.rows[table].push(row) >= this.size ? table : null;
  }

  async stage(table: Table): Promise<void> {
    const rows = this.rows[table];
    if (!rows.length) return;
    this.rows[table] = [];
    await this.file.append(tagOf[table], JSON.stringify(rows));
  }

  async stageAll(): Promise<void> {
    for (const table of tables) await this.stage(table);
  }
}

/** The next chunk of the body, or a 408 when none arrives within `idleMs`. */
async function readWithin(reader: ReadableStreamDefaultReader<Uint8Array>, idleMs: number): Promise<ReadableStreamReadResult<Uint8Array>> {
  let timer: NodeJS.Timeout | undefined;
  const stalled = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ApiError(408, 'import_stalled', `no data for ${idleMs} ms: the import was abandoned`, 'body')), idleMs);
  });
  try {
    return await Promise.race([reader.read(), stalled]);
  } catch (error) {
    if (error instanceof ApiError) throw error;
    throw new ApiError(400, 'invalid_import', 'the request body could not be read to its end', 'body');
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Splits a byte stream into lines, a network chunk's worth at a time, without ever holding more
 * than one chunk and one unfinished line. `first` is the 1-based number of `lines[0]`.
 */
async function* lineBatches(body: ReadableStream<Uint8Array>, limits: ImportLimits): AsyncGenerator<{ first: number; lines: string[] }> {
  const reader = body.getReader();
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const decode = (bytes?: Uint8Array) => {
    try {
      return decoder.decode(bytes, { stream: bytes !== undefined });
    } catch {
      throw invalid(next, 'the body is not valid UTF-8');
    }
  };
  const tooLong = (line: number) => invalid(line, `a line is limited to ${limits.maxLineChars} characters`);
  let next = 1;
  let rest = '';
  let bytes = 0;
  let finished = false;
  try {
    for (;;) {
      const chunk = await readWithin(reader, limits.readIdleMs);
      if (chunk.done) break;
      bytes += chunk.value.byteLength;
      if (bytes > limits.maxBodyBytes) throw new ApiError(413, 'payload_too_large', `an import is limited to ${limits.maxBodyBytes} bytes`, 'body');
      const lines = (rest + decode(chunk.value)).split('\n');
      rest = lines.pop()!;
      lines.forEach((line, i) => { if (line.length > limits.maxLineChars) throw tooLong(next + i); });
      if (rest.length > limits.maxLineChars) throw tooLong(next + lines.length);
      if (lines.length) yield { first: next, lines };
      next += lines.length;
    }
    finished = true;
    rest += decode();
    if (rest.length > limits.maxLineChars) throw tooLong(next);
    if (rest) yield { first: next, lines: [rest] };
  } finally {
    if (!finished) await reader.cancel().catch(() => {});
  }
}

/** An import received and checked whole, waiting in its staging file to be applied. */
export interface StagedImport {
  /** What the body holds, by type: the import's answer once applied. */
  result: ImportResult;
  /** The rows' time: when the import was received. */
  now: number;
  file: StagingFile;
}

export interface StageOptions {
  limits?: ImportLimits;
  /** A folder on local disk for the staging file; see `stagingFolder`. */
  dir: string;
}

/**
 * Receives the NDJSON `body`, checks every line and stages its rows in a file in `dir`. Any invalid
 * line throws an ApiError naming it (`line 17.to`) and nothing is staged; nothing is written to the
 * database either way. The caller discards the staged import (`discardStagedImport`) once applied.
 * @example const staged = await stageImport(c.req.raw.body, now, { dir: stagingFolder(store) })
 */
export async function stageImport(body: ReadableStream<Uint8Array> | null, now: number, options: StageOptions): Promise<StagedImport> {
  const limits = options.limits ?? defaultImportLimits;
  const imported: ImportResult['imported'] = { accounts: 0, follows: 0, blocks: 0, reports: 0, accepted: 0, welcomeShown: 0, appGrants: 0 };
  const counter = { account: 'accounts', follow: 'follows', block: 'blocks', report: 'reports', accepted: 'accepted', welcome_shown: 'welcomeShown', app_grant: 'appGrants' } as const;
  const file = await StagingFile.create(options.dir);
  let lines = 0;
  try {
    const chunks = new Chunks(file, limits.chunkRows);
    if (body) {
      for await (const batch of lineBatches(body, limits)) {
        for (let i = 0; i < batch.lines.length; i++) {
          const number = batch.first + i;
          let text = batch.lines[i];
          if (text.endsWith('\r')) text = text.slice(0, -1);
          if (!text.trim()) continue;
          let value: unknown;
          try {
            value = JSON.parse(text);
          } catch {
            throw invalid(number, 'not a JSON value');
          }
          const result = ImportLine.safeParse(value);
          if (!result.success) {
            const issue = result.error.issues[0];
            throw invalid(number, issueMessage(issue), issuePath(issue));
          }
          imported[counter[result.data.type]]++;
          // Only a full chunk awaits the disk; every other line stays synchronous.
          const full = chunks.add(result.data);
          if (full) await chunks.stage(full);
        }
        lines = batch.first + batch.lines.length - 1;
      }
    }
    await chunks.stageAll();
  } catch (error) {
    await file.close();
    throw error;
  }
  return { result: { imported, lines }, now, file };
}

/**
 * Writes a staged import through `tx`, chunk by chunk in the order received (a later line for the
 * same account wins), and the same rows into the decision state `world`. Run it as one writer job,
 * so that a failure rolls all of it back (and the state is rebuilt); it reads only the local
 * staging file. Its reports take one place in the recorded order.
 * @example await store.writer.write((tx) => applyStagedImport(tx, state, staged))
 */
export async function applyStagedImport(tx: Executor, state: LiveState, staged: StagedImport): Promise<ImportResult> {
  return applyStaged(state, staged, tx, async (statement) => { await runStatements(tx, [statement]); });
}

/**
 * The same on a local database file, faster: the rows are written by a thread of their own
 * (db/import-writer.ts) in one transaction of its connection, while this thread applies them to the
 * decision state — each took about as long as the other. No other write runs meanwhile
 * (`Writer.alone`); a failure rolls the thread's transaction back and rebuilds the state.
 */
export async function applyStagedImportAlongside(store: Store, state: LiveState, staged: StagedImport): Promise<ImportResult> {
  return store.writer.alone(async () => {
    const writer = await startImportWriter(store.localPath!);
    let result: ImportResult;
    try {
      // store.db only builds the statements; on a local file, recording the import writes nothing.
      result = await applyStaged(state, staged, store.db, (statement) => writer.run(statement));
    } catch (error) {
      await writer.rollback();
      throw error;
    }
    await writer.commit();
    return result;
  });
}

/** Applies a staged import: its statements to `write` (built on `db`), its rows to the decision state. */
async function applyStaged(state: LiveState, staged: StagedImport, db: Executor, write: (statement: Statement) => Promise<void>): Promise<ImportResult> {
  const { world } = state;
  const seq = world.nextSeq();
  const { follows, blocks, welcomeShown } = staged.result.imported;
  world.graph.reserve(follows + blocks + welcomeShown);
  for await (const { tag, text } of staged.file.records()) {
    const table = tables[tag];
    if (table === 'accounts') {
      const rows = JSON.parse(text) as ImportedAccount[];
      for (const statement of upsertAccountsStatements(db, rows, staged.now)) await write(statement);
      applyImportedAccounts(world, rows);
    } else {
      await write(insertEdgesStatement(db, table, text, staged.now, seq));
      applyImportedEdges(world, table, JSON.parse(text) as Array<[string, string]>, staged.now, seq);
    }
  }
  // Other instances on a shared server rebuild from the tables when they meet it.
  await state.record(db, { kind: 'import' }, staged.now, seq);
  return staged.result;
}

/** Frees a staged import's file, applied or not. */
export function discardStagedImport(staged: StagedImport): Promise<void> {
  return staged.file.close();
}

/**
 * Where a store's imports are staged: beside a local database file, on the disk that must hold
 * the rows anyway; the system's temporary folder for a libSQL server.
 */
export function stagingFolder(store: Pick<Store, 'localPath'>): string {
  return store.localPath ? dirname(store.localPath) : tmpdir();
}

/**
 * Stages `body`, then applies it in one writer job: the whole import for a caller that needs no
 * other write in the same job.
 * @example const result = await importGraph(service, c.req.raw.body, now)
 */
export async function importGraph(service: { store: Store; state: LiveState }, body: ReadableStream<Uint8Array> | null, now: number, limits: ImportLimits = defaultImportLimits): Promise<ImportResult> {
  const { store, state } = service;
  const staged = await stageImport(body, now, { limits, dir: stagingFolder(store) });
  try {
    return await (store.localPath ? applyStagedImportAlongside(store, state, staged) : store.writer.write((tx) => applyStagedImport(tx, state, staged)));
  } finally {
    await discardStagedImport(staged);
  }
}
