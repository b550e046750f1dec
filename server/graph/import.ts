/** The NDJSON bulk load of accounts and edges: streamed, validated line by line, applied in chunks. */
import { z } from '@hono/zod-openapi';
import type { Executor } from '../../db/client.ts';
import { insertEdges, upsertAccounts, type AccountPatch, type Edge } from '../../db/stores/graph.ts';
import type { DecisionWorld } from '../state/world.ts';
import { ApiError, formatPath } from '../http/errors.ts';
import { issueMessage, issuePath } from '../http/errors.ts';
import { AccountFields, GraphId } from './routes.ts';

export interface ImportLimits {
  /** The whole body, in bytes. */
  maxBodyBytes: number;
  /** One line, in characters. */
  maxLineChars: number;
  /** Rows per INSERT statement. */
  chunkRows: number;
  /** How long the body may stall: the import holds the write transaction, so a stalled client must not keep it. */
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

/** Rows waiting for their multi-row INSERT, per table. */
class Chunks {
  accounts: Array<{ id: string } & AccountPatch> = [];
  follows: Edge[] = [];
  blocks: Edge[] = [];
  reports: Edge[] = [];
  accepted: Edge[] = [];
  welcomeShown: Edge[] = [];
  appGrants: Edge[] = [];

  /** `seq`: the import's place in the recorded order (its reports take it). */
  constructor(private readonly tx: Executor, private readonly world: DecisionWorld, private readonly now: number, private readonly seq: number, private readonly size: number) {}

  /** Queues one valid line; returns its table when that chunk is full and must be flushed. */
  add(line: ImportLine): Table | null {
    switch (line.type) {
      case 'account': {
        const { type: _, ...account } = line;
        return this.accounts.push(account) >= this.size ? 'accounts' : null;
      }
      case 'app_grant': return this.push('appGrants', line.account, line.app);
      case 'follow': return this.push('follows', line.from, line.to);
      case 'block': return this.push('blocks', line.from, line.to);
      case 'report': return this.push('reports', line.from, line.to);
      case 'accepted': return this.push('accepted', line.from, line.to);
      case 'welcome_shown': return this.push('welcomeShown', line.from, line.to);
    }
  }

  private push(table: Exclude<Table, 'accounts'>, from: string, to: string): Table | null {
    return this[table].push({ from, to }) >= this.size ? table : null;
  }

  /** Writes a table's waiting rows, then the same rows into the in-memory decision state. */
  async flush(table: Table): Promise<void> {
    const { tx, now, world } = this;
    if (table === 'accounts') {
      const rows = this.accounts;
      this.accounts = [];
      await upsertAccounts(tx, rows, now);
      for (const { id, ...patch } of rows) world.graph.setAccount(id, patch);
      return;
    }
    const rows = this[table];
    this[table] = [];
    await insertEdges(tx, table, rows, now, this.seq);
    const { graph, accounts, pairFacts, appGrants } = world;
    for (const { from, to } of rows) {
      switch (table) {
        case 'follows': graph.setFollow(from, to, true); break;
        case 'blocks': graph.setBlock(from, to, true); break;
        case 'welcomeShown': graph.markWelcomeShown(from, to); break;
        case 'reports': pairFacts.report(accounts.of(from), accounts.of(to), now, this.seq); break;
        case 'accepted': pairFacts.accept(accounts.of(from), accounts.of(to)); break;
        case 'appGrants': appGrants.grant(accounts.of(from), to); break;
      }
    }
  }

  async flushAll(): Promise<void> {
    for (const table of ['accounts', 'follows', 'blocks', 'reports', 'accepted', 'welcomeShown', 'appGrants'] as const) await this.flush(table);
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

/**
 * Reads NDJSON from `body` and writes every line through `tx` and into the decision state `world`.
 * Any invalid line throws an ApiError naming it (`line 17.to`) — run it as one writer job so that
 * the throw rolls everything back (and the state is rebuilt).
 * @example await store.writer.write((tx) => importGraph(tx, state.world, c.req.raw.body, now))
 */
export async function importGraph(tx: Executor, world: DecisionWorld, body: ReadableStream<Uint8Array> | null, now: number, limits: ImportLimits = defaultImportLimits): Promise<ImportResult> {
  const imported: ImportResult['imported'] = { accounts: 0, follows: 0, blocks: 0, reports: 0, accepted: 0, welcomeShown: 0, appGrants: 0 };
  const counter = { account: 'accounts', follow: 'follows', block: 'blocks', report: 'reports', accepted: 'accepted', welcome_shown: 'welcomeShown', app_grant: 'appGrants' } as const;
  let lines = 0;
  if (!body) return { imported, lines };
  const chunks = new Chunks(tx, world, now, world.nextSeq(), limits.chunkRows);
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
      // Only a full chunk awaits the database; every other line stays synchronous.
      const full = chunks.add(result.data);
      if (full) await chunks.flush(full);
    }
    lines = batch.first + batch.lines.length - 1;
  }
  await chunks.flushAll();
  return { imported, lines };
}
