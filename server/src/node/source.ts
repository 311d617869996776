/** Reading a file for analysis: binary detection, BOM, invalid UTF-8 — each a clear message. */
import { readFileSync } from 'node:fs';

export type ReadResult =
  | { ok: true; text: string; warning: string | null }
  | { ok: false; reason: string };

const fatalDecoder = new TextDecoder('utf-8', { fatal: true });
const lossyDecoder = new TextDecoder('utf-8');

export function decodeSource(bytes: Uint8Array): ReadResult {
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

/** Synchronous: a scan reads thousands of small files, and awaiting each one costs more than reading it. */
export function readSource(path: string): ReadResult {
  try {
    return decodeSource(readFileSync(path));
  } catch (err) {
    return { ok: false, reason: `unreadable: ${(err as NodeJS.ErrnoException).code ?? String(err)}` };
  }
}
