// What an external service prints: read all of it (a full pipe would stall the service), keep the last
// lines for error messages, and notice a ready line.
import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

const keptLines = 3;

export class OutputTail {
  /** true once the process runs; the spawn error (e.g. EACCES) otherwise. */
  readonly spawned: Promise<true | Error>;
  private readonly stderr: string[] = [];
  private readonly stdout: string[] = [];
  private readonly seen: string[] = [];

  constructor(child: ChildProcess) {
    this.spawned = new Promise((resolve) => {
      child.once('spawn', () => resolve(true));
      child.once('error', (error) => resolve(error));
    });
    const keep = (lines: string[], stream: NodeJS.ReadableStream | null, watch: boolean) => {
      if (!stream) return;
      createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
        lines.push(line);
        if (lines.length > keptLines) lines.shift();
        if (watch) this.seen.push(line);
      });
    };
    keep(this.stderr, child.stderr, false);
    keep(this.stdout, child.stdout, true);
  }

  /** True once a stdout line contained `text`; lines are looked at once and then let go. */
  sawLine(text: string): boolean {
    const found = this.seen.some((line) => line.includes(text));
    this.seen.length = 0;
    if (found) this.seen.push(text);
    return found;
  }

  /** The last lines of stderr (or, when it printed none, of stdout), for the end of a one-line error. */
  lastLines(): string {
    const [name, lines] = this.stderr.length > 0 ? ['stderr', this.stderr] : ['stdout', this.stdout];
    const text = lines.map((l) => l.trim()).filter(Boolean).join(' | ');
    return text ? `; last ${name}: ${text.length > 400 ? `…${text.slice(-400)}` : text}` : '';
  }
}
