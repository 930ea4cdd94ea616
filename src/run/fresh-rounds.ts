// The fresh design: a new service process per trial, with its own warm-up, one variant after another
// or (load.concurrent) a whole round side by side.
import { runTrialsTogether, type TrialOptions } from './trial.ts';
import type { RoundMember, RoundRunner, RoundSettings } from './rounds.ts';
import type { ServiceLife, TrialResult } from '../model/index.ts';

export class FreshRounds implements RoundRunner {
  private readonly lives: ServiceLife[] = [];

  constructor(
    private readonly members: readonly RoundMember[],
    private readonly settings: RoundSettings,
  ) {}

  get slicesPerRound(): number {
    return this.members.length;
  }

  /** One trial of `member` as a fresh process. */
  trialOptions(member: number, round: number, order: number): TrialOptions {
    const s = this.settings;
    return { member: this.members[member], round, order, settings: s, envPaddingBytes: s.envPaddingBytes(), onPhase: (phase) => s.onPhase(member, round, order, phase) };
  }

  async round(round: number, order: readonly number[], firstOrder: number): Promise<TrialResult[]> {
    const trials = order.map((member, place) => this.trialOptions(member, round, firstOrder + place));
    // Side by side: the whole round at once. Otherwise one variant after another, in the round's order.
    const batches = this.settings.load.concurrent ? [trials] : trials.map((t) => [t]);
    const out: TrialResult[] = [];
    for (const batch of batches) {
      for (const { trial, life } of await runTrialsTogether(batch)) {
        out.push(trial);
        this.lives.push(life);
      }
    }
    return out;
  }

  async finish(): Promise<ServiceLife[]> {
    return this.lives;
  }

  kill(): void {} // each trial ends its own processes
}
