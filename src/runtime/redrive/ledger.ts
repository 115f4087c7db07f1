/**
 * Which messages were redriven: a JSON-lines file of message ids, appended durably after each success. The
 * failure file itself is never rewritten, so a crash during redrive cannot lose a failure message; at worst the
 * batch redriven just before the crash runs again.
 */
import { existsSync, readFileSync } from 'fs';
import { appendLinesDurably, parseJsonLines } from '../local/state/durable-file';

export class Ledger {
  private readonly done: Set<string>;

  constructor(public readonly path: string) {
    const lines = existsSync(path) ? parseJsonLines(readFileSync(path, 'utf8')).values : [];
    this.done = new Set(lines.map((l) => (l as { id: string }).id));
  }

  public has(id: string): boolean {
    return this.done.has(id);
  }

  public add(id: string, at: Date): void {
    appendLinesDurably(this.path, [JSON.stringify({ id, redrivenAt: at.toISOString() })]);
    this.done.add(id);
  }
}
