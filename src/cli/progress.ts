// Progress on stderr: a live line on a terminal, one line per trial and per round elsewhere (CI logs).
// After each round it says how wide the widest Δ CPU/request interval still is, which is what the
// rounds until precise are waiting for.
import { num } from '../report/format.ts';
import type { RoundsSetting, RunEvent } from '../model/index.ts';

const clock = (seconds: number) => `${Math.floor(seconds / 60)}:${String(Math.floor(seconds % 60)).padStart(2, '0')}`;

export class ProgressPrinter {
  private readonly live: boolean;
  private readonly startedAt = performance.now();
  private rounds?: RoundsSetting;
  private variants = 0;
  private current = '';
  private widest = '';
  private ticker?: NodeJS.Timeout;

  constructor(private readonly stream: NodeJS.WriteStream = process.stderr) {
    this.live = stream.isTTY === true;
  }

  readonly onEvent = (event: RunEvent): void => {
    switch (event.type) {
      case 'saturation-start':
        this.write('measuring the untraced saturation throughput for the open-loop rate …');
        break;
      case 'harness-warmup':
        this.write(`warming the load generator and the collector (${event.seconds} s, not counted) …`);
        break;
      case 'run-start': {
        this.rounds = event.rounds;
        this.variants = event.variants;
        const together = event.trialsAtOnce > 1 ? `, ${event.trialsAtOnce} at a time` : '';
        const load = event.ratePerSec === undefined ? 'closed loop' : `open loop at ${num(event.ratePerSec)} req/s${together}`;
        const processes = {
          pool: 'blocks of warm processes, one per variant',
          pairs: 'blocks of warm processes, one per variant, each slice beside the baseline',
          fresh: 'a fresh process per trial',
        }[event.processes];
        const rounds =
          event.rounds.kind === 'fixed' ? `${event.rounds.count} rounds` : `rounds until every Δ CPU/request is within ±${event.rounds.precisionPts} points, at most ${clock(event.rounds.maxTimeSec)}`;
        this.write(`${event.variants} variants, ${processes}, ${load}; ${rounds}; spans go to ${event.exportTarget}`);
        if (this.live) this.ticker = setInterval(() => this.redraw(), 1000).unref();
        break;
      }
      case 'block-start':
        this.write(`block ${event.block}: fresh processes for every variant, started in a shuffled order, for ${event.rounds} round${event.rounds === 1 ? '' : 's'}`);
        break;
      case 'trial-phase':
        this.current =
          event.round === 0 ? `${event.variant} · ${event.phase}` : `round ${event.round} · [${event.order - (event.round - 1) * this.variants}/${this.variants}] ${event.variant} · ${event.phase}`;
        this.redraw();
        break;
      case 'trial-end': {
        const r = event.result;
        this.write(
          `round ${r.trial} ${r.variant}: ${num(r.load.requestsPerSec)} req/s, ${Number.isNaN(r.serverTimeUs.p99) ? `client p99 ${num(r.load.latencyMs.p99 * 1000)}` : `server p99 ${num(r.serverTimeUs.p99)}`} µs, CPU ${num(r.cpuUsPerRequest)} µs/req (${(r.wallMs / 1000).toFixed(1)} s)`,
        );
        break;
      }
      case 'round-end': {
        const w = event.widest;
        this.widest = w ? `widest Δ CPU/request ±${Number.isFinite(w.halfWidthPts) ? w.halfWidthPts.toFixed(1) : '∞'} points (${w.variant})` : '';
        const why = event.stop === 'precise' ? ': precise enough, done' : event.stop === 'budget' ? ': time budget spent, done' : '';
        const block = event.block === undefined ? '' : ` (block ${event.block})`;
        this.write(`round ${event.round}${block} done at ${clock(event.elapsedSec)}${this.widest ? `; ${this.widest}` : ''}${why}`);
        if (event.stop) this.stop();
        break;
      }
    }
  };

  stop(): void {
    if (this.ticker) clearInterval(this.ticker);
    this.ticker = undefined;
    if (this.live) this.clearLine();
  }

  private write(line: string): void {
    if (this.live) this.clearLine();
    this.stream.write(`${line}\n`);
  }

  private redraw(): void {
    if (!this.live || !this.current) return;
    const elapsed = (performance.now() - this.startedAt) / 1000;
    const budget = this.rounds?.kind === 'until-precise' ? ` of ${clock(this.rounds.maxTimeSec)}` : '';
    this.clearLine();
    this.stream.write(`${this.current} · ${clock(elapsed)}${budget}${this.widest ? ` · ${this.widest}` : ''}`);
  }

  private clearLine(): void {
    this.stream.write('\r\x1b[2K');
  }
}
