// Progress on stderr: a live line on a terminal, one line per trial elsewhere (CI logs).
import { num } from '../report/format.ts';
import type { RunEvent } from '../model/index.ts';

/** Seconds a trial spends outside its load (process start, flush), until real trials tell. */
const assumedTrialOverheadSec = 2;

export class ProgressPrinter {
  private readonly live: boolean;
  private totalTrials = 0;
  private trialsAtOnce = 1;
  private done = 0;
  private plannedTrialSec = 0;
  private measuredTrialSec: number[] = [];
  private trialStartedAt = 0;
  private current = '';
  private ticker?: NodeJS.Timeout;

  constructor(private readonly stream: NodeJS.WriteStream = process.stderr) {
    this.live = stream.isTTY === true;
  }

  readonly onEvent = (event: RunEvent): void => {
    switch (event.type) {
      case 'saturation-start':
        this.stream.write('measuring the untraced saturation throughput for the open-loop rate …\n');
        break;
      case 'harness-warmup':
        this.stream.write(`warming the load generator and the collector (${event.seconds} s, not counted) …\n`);
        break;
      case 'run-start': {
        this.totalTrials = event.totalTrials;
        this.trialsAtOnce = event.trialsAtOnce;
        this.plannedTrialSec = event.plannedTrialSec + assumedTrialOverheadSec;
        const together = event.trialsAtOnce > 1 ? `, ${event.trialsAtOnce} at a time` : '';
        const rate = event.ratePerSec === undefined ? 'closed loop' : `open loop at ${num(event.ratePerSec)} req/s${together}`;
        this.stream.write(`${event.totalTrials} trials, ${rate}, about ${Math.round(this.secondsLeft())} s; spans go to ${event.exportTarget}\n`);
        if (this.live) this.ticker = setInterval(() => this.redraw(), 1000).unref();
        break;
      }
      case 'trial-phase':
        if (event.phase === 'starting') this.trialStartedAt = performance.now();
        this.current = `[${event.order}/${this.totalTrials}] ${event.variant} · trial ${event.trial} · ${event.phase}`;
        this.redraw();
        break;
      case 'trial-end': {
        const r = event.result;
        this.done++;
        this.measuredTrialSec.push(r.wallMs / 1000);
        const received = r.collector ? `, spans received ${r.collector.spans.toLocaleString('en-US')}` : '';
        const line =
          `[${r.order}/${event.totalTrials}] ${r.variant} trial ${r.trial}: ${num(r.load.requestsPerSec)} req/s, ` +
          `server p99 ${num(r.serverTimeUs.p99)} µs, CPU ${num(r.cpuUsPerRequest)} µs/req${received} (${(r.wallMs / 1000).toFixed(1)} s)`;
        if (this.live) this.clearLine();
        this.stream.write(`${line}\n`);
        if (this.done === this.totalTrials) this.stop();
        break;
      }
    }
  };

  stop(): void {
    if (this.ticker) clearInterval(this.ticker);
    this.ticker = undefined;
    if (this.live) this.clearLine();
  }

  private secondsLeft(): number {
    const perTrial =
      this.measuredTrialSec.length > 0
        ? this.measuredTrialSec.reduce((a, b) => a + b, 0) / this.measuredTrialSec.length
        : this.plannedTrialSec;
    const inCurrent = this.trialStartedAt > 0 ? (performance.now() - this.trialStartedAt) / 1000 : 0;
    const batchesLeft = Math.ceil((this.totalTrials - this.done) / this.trialsAtOnce);
    return Math.max(0, batchesLeft * perTrial - inCurrent);
  }

  private redraw(): void {
    if (!this.live || !this.current) return;
    this.clearLine();
    this.stream.write(`${this.current} · ~${Math.round(this.secondsLeft())} s left`);
  }

  private clearLine(): void {
    this.stream.write('\r\x1b[2K');
  }
}
