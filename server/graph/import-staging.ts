/**
 * The staging file of an import: its checked rows on local disk, in the chunks they will be
 * written in, between receiving the body and applying it. Each record is a tag byte, a 32-bit
 * length and that many bytes of text. The file is unlinked as soon as it is created: the open
 * handle keeps it, and a process that dies leaves nothing behind.
 */
import { randomUUID } from 'node:crypto';
import { open, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';

const headerBytes = 5;

export class StagingFile {
  private size = 0;
  private closed = false;

  private constructor(private readonly handle: FileHandle) {}

  /** A new, empty staging file in `dir` (a folder on local disk). */
  static async create(dir: string): Promise<StagingFile> {
    const path = join(dir, `.dm-policy-import-${randomUUID()}.staging`);
    const handle = await open(path, 'wx+', 0o600);
    try {
      await rm(path);
    } catch (error) {
      await handle.close();
      throw error;
    }
    return new StagingFile(handle);
  }

  /** Bytes written so far. */
  get bytes(): number {
    return this.size;
  }

  async append(tag: number, text: string): Promise<void> {
    const payload = Buffer.from(text);
    const header = Buffer.allocUnsafe(headerBytes);
    header.writeUInt8(tag, 0);
    header.writeUInt32BE(payload.length, 1);
    const at = this.size;
    this.size += headerBytes + payload.length;
    await this.handle.writev([header, payload], at);
  }

  /** The records in the order they were appended. */
  async *records(): AsyncGenerator<{ tag: number; text: string }> {
    const header = Buffer.allocUnsafe(headerBytes);
    for (let at = 0; at < this.size;) {
      await this.readFully(header, at);
      const length = header.readUInt32BE(1);
      const payload = Buffer.allocUnsafe(length);
      await this.readFully(payload, at + headerBytes);
      at += headerBytes + length;
      yield { tag: header.readUInt8(0), text: payload.toString('utf8') };
    }
  }

  private async readFully(into: Buffer, position: number): Promise<void> {
    for (let done = 0; done < into.length;) {
      const { bytesRead } = await this.handle.read(into, done, into.length - done, position + done);
      if (bytesRead === 0) throw new Error('the import staging file ended early');
      done += bytesRead;
    }
  }

  /** Frees the file (idempotent). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.handle.close();
  }
}
