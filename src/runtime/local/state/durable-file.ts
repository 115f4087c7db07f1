/**
 * Writes that survive kill -9 and power loss: a reader sees the old content or the new one, never half of it.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, promises as fsp, renameSync, writeSync } from 'fs';
import { dirname } from 'path';

/** Temp file + fsync + rename + fsync of the folder (so the rename itself is on disk). */
export function writeFileDurably(path: string, content: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  const fd = openSync(temp, 'w');
  try {
    writeSync(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, path);
  fsyncFolder(dirname(path));
}

/**
 * {@link writeFileDurably} on libuv's thread pool: the fsyncs do not block the event loop. The caller must not run
 * two of these (or one and the synchronous one) on the same path at once: they share the temp file.
 */
export async function writeFileDurablyAsync(path: string, content: string): Promise<void> {
  const folder = dirname(path);
  await fsp.mkdir(folder, { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  const file = await fsp.open(temp, 'w');
  try {
    await file.writeFile(content, 'utf8');
    await file.sync();
  } finally {
    await file.close();
  }
  await fsp.rename(temp, path);
  // Windows cannot open a folder for fsync; the rename is still atomic there.
  if (process.platform === 'win32') return;
  const dir = await fsp.open(folder, 'r');
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
}

/**
 * Appends whole lines with one write each and fsyncs. A crash can leave at most a torn last line, which readers of
 * JSON-lines files here skip (see {@link parseJsonLines}).
 */
export function appendLinesDurably(path: string, lines: readonly string[]): void {
  if (lines.length === 0) return;
  mkdirSync(dirname(path), { recursive: true });
  const fd = openSync(path, 'a');
  try {
    writeSync(fd, lines.map((l) => `${l}\n`).join(''));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Parses a JSON-lines text; a torn final line (crash mid-append) is reported, not fatal. */
export function parseJsonLines(text: string): { readonly values: unknown[]; readonly tornLastLine: boolean; readonly badLines: number[] } {
  const lines = text.split('\n');
  const values: unknown[] = [];
  const badLines: number[] = [];
  let tornLastLine = false;
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    try {
      values.push(JSON.parse(line));
    } catch {
      if (i === lines.length - 1) tornLastLine = true;
      else badLines.push(i + 1);
    }
  });
  return { values, tornLastLine, badLines };
}

function fsyncFolder(folder: string): void {
  // Windows cannot open a folder for fsync; the rename is still atomic there.
  if (process.platform === 'win32') return;
  const fd = openSync(folder, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
