/**
 * A history file as pieces of text: read from disk 1 MiB at a time (UTF-8, a character split
 * between two pieces kept whole), or cut from a text already in memory. Bytes that are not UTF-8
 * become U+FFFD, as readFile(…, 'utf8') makes them, so the readers can name them.
 */
import { createReadStream, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';
import { CliError } from './context.ts';

const PIECE_BYTES = 65536;

export interface TextPieces extends AsyncIterable<string> {
  /** the first few KiB of text (to guess the format), without consuming anything */
  head(): Promise<string>;
  /** the whole text (formats that cannot be read in pieces) */
  whole(): Promise<string>;
  /** the share of the file read so far, 0 to 1 */
  shareRead(): number;
  /** bytes (of a text: characters) read so far */
  bytesRead(): number;
}

/** The pieces of `text`, or of the file at `path`. */
export function readTextPieces(source: { text?: string; path?: string }): TextPieces {
  if (source.text !== undefined) return textPieces(source.text);
  if (source.path === undefined) throw new Error('readTextPieces: give the text or the path of the file');
  return filePieces(source.path);
}

function textPieces(text: string): TextPieces {
  let at = 0;
  return {
    head: async () => text.slice(0, 4096),
    whole: async () => {
      at = text.length;
      return text;
    },
    shareRead: () => (text.length === 0 ? 1 : at / text.length),
    bytesRead: () => at,
    async *[Symbol.asyncIterator]() {
      while (at < text.length) {
        const piece = text.slice(at, at + PIECE_BYTES);
        at += piece.length;
        yield piece;
      }
    },
  };
}

const cannotRead = (path: string, error: unknown) => new CliError(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);

function filePieces(path: string): TextPieces {
  let size: number;
  try {
    size = statSync(path).size;
  } catch (error) {
    throw cannotRead(path, error);
  }
  let bytesRead = 0;
  return {
    async head() {
      const file = await open(path, 'r').catch((error) => {
        throw cannotRead(path, error);
      });
      try {
        const buffer = Buffer.alloc(4096);
        const { bytesRead: count } = await file.read(buffer, 0, buffer.length, 0);
        return new StringDecoder('utf8').write(buffer.subarray(0, count));
      } finally {
        await file.close();
      }
    },
    async whole() {
      let text = '';
      for await (const piece of this) text += piece;
      return text;
    },
    shareRead: () => (size === 0 ? 1 : Math.min(1, bytesRead / size)),
    bytesRead: () => bytesRead,
    async *[Symbol.asyncIterator]() {
      const decoder = new StringDecoder('utf8');
      const stream = createReadStream(path, { highWaterMark: PIECE_BYTES });
      try {
        for await (const chunk of stream as AsyncIterable<Buffer>) {
          bytesRead += chunk.length;
          const text = decoder.write(chunk);
          if (text.length > 0) yield text;
        }
      } catch (error) {
        throw cannotRead(path, error);
      }
      const rest = decoder.end();
      if (rest.length > 0) yield rest;
    },
  };
}
