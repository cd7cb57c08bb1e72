import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { EventBatch, QueuedEvent } from './event-types.js';
import type { EventJournal } from './journal.js';

const liveOwners = new Set<string>();

/**
 * An event journal in a directory: `<owner>.pending.ndjson` (one event per line, appended
 * before `track` returns) and `<owner>.batch.<id>.json` per batch being sent. An owner is
 * one client in one process. Files of owners whose process is gone are taken over by the
 * next client with the same key: renamed first (only one process can win a rename),
 * then merged, deduplicated by event id.
 */
export class FileJournal implements EventJournal {
  private readonly dir: string;
  private readonly owner = `${process.pid}-${randomBytes(6).toString('hex')}`;
  private fd: number | undefined;

  constructor(baseDir: string, sdkKey: string) {
    const keyHash = createHash('sha256').update(sdkKey).digest('hex').slice(0, 20);
    this.dir = path.join(baseDir, keyHash);
    fs.mkdirSync(this.dir, { recursive: true });
    liveOwners.add(this.owner);
  }

  recover(): { pending: QueuedEvent[]; batches: EventBatch[] } {
    const seen = new Set<string>();
    const batches: EventBatch[] = [];
    const pending: QueuedEvent[] = [];
    for (const name of fs.readdirSync(this.dir).sort()) {
      const owner = name.split('.')[0]!;
      if (owner === this.owner || !isDead(owner)) continue;
      if (name.includes('.tmp.')) {
        // Half-written: the file it was meant to replace still exists.
        fs.rmSync(path.join(this.dir, name), { force: true });
        continue;
      }
      const isBatch = name.includes('.batch.') || name.includes('.adopt-batch.');
      const kind = isBatch ? 'adopt-batch' : 'adopt-pending';
      const adopted = path.join(this.dir, `${this.owner}.${kind}.${randomBytes(6).toString('hex')}`);
      try {
        fs.renameSync(path.join(this.dir, name), adopted);
      } catch {
        continue; // another process took it first
      }
      const text = fs.readFileSync(adopted, 'utf8');
      if (isBatch) {
        const batch = parseBatch(text);
        if (batch !== undefined) {
          batch.events = batch.events.filter((e) => !seen.has(e.id));
          for (const e of batch.events) seen.add(e.id);
          if (batch.events.length > 0) {
            this.writeAtomically(batchFile(this.owner, batch.batchId), JSON.stringify(batch));
            batches.push(batch);
          }
        }
      } else {
        const fresh: QueuedEvent[] = [];
        for (const event of parseLines(text)) {
          if (seen.has(event.id)) continue;
          seen.add(event.id);
          fresh.push(event);
          pending.push(event);
        }
        this.append(fresh);
      }
      fs.rmSync(adopted, { force: true });
    }
    // Batches take precedence over pending copies of the same event (a crash between the two writes).
    const inBatches = new Set(batches.flatMap((b) => b.events.map((e) => e.id)));
    const stillPending = pending.filter((e) => !inBatches.has(e.id));
    if (stillPending.length !== pending.length) this.rewritePending(stillPending);
    return { pending: stillPending, batches };
  }

  append(events: readonly QueuedEvent[]): void {
    if (events.length === 0) return;
    if (this.fd === undefined) this.fd = fs.openSync(this.pendingPath(), 'a');
    fs.writeSync(this.fd, events.map((e) => `${JSON.stringify(e)}\n`).join(''));
  }

  formBatch(batch: EventBatch, remaining: readonly QueuedEvent[]): void {
    this.writeAtomically(batchFile(this.owner, batch.batchId), JSON.stringify(batch));
    this.rewritePending(remaining);
  }

  complete(batchId: string): void {
    fs.rmSync(path.join(this.dir, batchFile(this.owner, batchId)), { force: true });
  }

  close(): void {
    this.closeFd();
    liveOwners.delete(this.owner);
    // Leave nothing behind when everything was delivered.
    try {
      const mine = fs.readdirSync(this.dir).filter((name) => name.startsWith(`${this.owner}.`));
      const pending = this.pendingPath();
      if (mine.every((name) => path.join(this.dir, name) === pending) && sizeOf(pending) === 0) {
        fs.rmSync(pending, { force: true });
      }
    } catch {
      // The directory is gone or unreadable: nothing to tidy.
    }
  }

  private rewritePending(events: readonly QueuedEvent[]): void {
    this.closeFd();
    this.writeAtomically(
      path.basename(this.pendingPath()),
      events.map((e) => `${JSON.stringify(e)}\n`).join(''),
    );
  }

  private pendingPath(): string {
    return path.join(this.dir, `${this.owner}.pending.ndjson`);
  }

  private closeFd(): void {
    if (this.fd !== undefined) fs.closeSync(this.fd);
    this.fd = undefined;
  }

  private writeAtomically(name: string, text: string): void {
    const target = path.join(this.dir, name);
    const temp = path.join(this.dir, `${this.owner}.tmp.${randomBytes(6).toString('hex')}`);
    fs.writeFileSync(temp, text);
    fs.renameSync(temp, target);
  }
}

function sizeOf(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

function batchFile(owner: string, batchId: string): string {
  return `${owner}.batch.${batchId}.json`;
}

/** Whether the owner's process is gone (or is this process, and the owner no longer lives in it). */
function isDead(owner: string): boolean {
  const pid = Number(owner.split('-')[0]);
  if (!Number.isInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) return !liveOwners.has(owner);
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

function parseLines(text: string): QueuedEvent[] {
  const events: QueuedEvent[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      const event = JSON.parse(line) as QueuedEvent;
      if (typeof event?.id === 'string' && typeof event.event === 'object') events.push(event);
    } catch {
      // A line cut short by a crash: the event was never acknowledged to anyone.
    }
  }
  return events;
}

function parseBatch(text: string): EventBatch | undefined {
  try {
    const batch = JSON.parse(text) as EventBatch;
    return typeof batch?.batchId === 'string' && Array.isArray(batch.events) ? batch : undefined;
  } catch {
    return undefined;
  }
}
