/** Reading a file for analysis: size limit, binary detection, BOM, invalid UTF-8 — each a clear message. */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

export const DEFAULT_MAX_FILE_BYTES = 1024 * 1024;

export type Decoded =
  | { ok: true; text: string; warning: string | null }
  | { ok: false; reason: string };

/** A read file also carries its size and modification time (what `--cache` trusts a file by). */
export type ReadResult = (Decoded & { ok: false }) | (Decoded & { ok: true; stamp: { size: number; mtimeMs: number } });

const fatalDecoder = new TextDecoder('utf-8', { fatal: true });
const lossyDecoder = new TextDecoder('utf-8');

export function decodeSource(bytes: Uint8Array): Decoded {
  const sniff = bytes.subarray(0, 8192);
  if (sniff.includes(0)) return { ok: false, reason: 'binary (contains NUL bytes)' };
  let text: string;
  let warning: string | null = null;
  try {
    text = fatalDecoder.decode(bytes);
  } catch {
    text = lossyDecoder.decode(bytes);
    warning = 'invalid UTF-8: undecodable bytes were replaced with U+FFFD and the rest analysed';
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return { ok: true, text, warning };
}

function tooLarge(size: number, maxBytes: number): string {
  return `too large (${(size / 1024 / 1024).toFixed(1)} MiB > ${(maxBytes / 1024 / 1024).toFixed(1)} MiB limit)`;
}

/**
 * Synchronous: a scan reads thousands of small files, and awaiting each one costs more than reading
 * it. The size comes from the open file (as `readFileSync` gets it), so the walk needs no stat of
 * its own: a file over the limit is closed unread.
 */
export function readSource(path: string, maxBytes = DEFAULT_MAX_FILE_BYTES): ReadResult {
  let fd: number | null = null;
  try {
    fd = openSync(path, 'r');
    const { size, mtimeMs } = fstatSync(fd);
    if (size > maxBytes) return { ok: false, reason: tooLarge(size, maxBytes) };
    const bytes = Buffer.allocUnsafe(size);
    let read = 0;
    while (read < size) {
      const n = readSync(fd, bytes, read, size - read, null);
      if (n === 0) break; // the file shrank since the stat
      read += n;
    }
    const decoded = decodeSource(bytes.subarray(0, read));
    return decoded.ok ? { ...decoded, stamp: { size, mtimeMs } } : decoded;
  } catch (err) {
    return { ok: false, reason: `unreadable: ${(err as NodeJS.ErrnoException).code ?? String(err)}` };
  } finally {
    if (fd !== null) closeSync(fd);
  }
}
