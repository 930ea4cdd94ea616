// The machine a run's numbers come from, and where the service and the harness ran on it.

export interface Pinning {
  readonly pinned: boolean;
  /** taskset CPU list for the service, when pinned. */
  readonly serviceCpus?: string;
  readonly harnessCpus?: string;
  /** Why not, when not pinned. */
  readonly reason?: string;
}

/** The machine a run's numbers come from, as run.json and micro.json record it. */
export interface MachineDescription {
  readonly node: string;
  readonly platform: string;
  readonly arch: string;
  readonly cpuModel: string;
  readonly cpuCount: number;
  readonly pinning: Pinning;
}

export interface RunEnvironment extends MachineDescription {
  readonly totalMemoryBytes: number;
  /** Work-loop iterations per µs, measured once and given to every service process. */
  readonly iterationsPerUs: number;
  readonly exportTarget: { readonly kind: 'embedded' | 'remote'; readonly endpoint: string };
}
