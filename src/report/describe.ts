// The run described in words, for the head of every report: the machine, the load, the service, the
// order of the trials, the export target and the baseline.
import { bytes, num } from './format.ts';
import { aaCheckLine, intervalLine, noiseLine } from './noise.ts';
import { baseNote, roundsLine } from './rows.ts';
import type { RunDocument } from '../model/index.ts';

const signedPct = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(1)}%`;

function loadDescription(run: RunDocument): string {
  const load = run.scenario.load;
  if (!run.openLoop) return `closed loop, ${load.connections} connections`;
  const sat = run.openLoop.saturation;
  const from = sat ? ` (${Math.round(sat.share * 100)}% of the untraced saturation throughput, ${num(sat.requestsPerSec)} req/s, measured first)` : '';
  const together = load.concurrent ? '; every variant of a round at the same time, each at this rate, on the same core' : '';
  return `open loop at ${num(run.openLoop.ratePerSec)} req/s${from}, at most ${load.connections} requests in flight${together}`;
}

function designDescription(run: RunDocument): string {
  const d = run.design;
  const warm = d.harnessWarmupSec > 0 ? `, after an unmeasured ${d.harnessWarmupSec} s trial that warms the load generator and the collector` : '';
  if (d.order === 'side-by-side') return `every variant of a round at once, in fresh processes${warm}`;
  const blocks = d.roundsPerBlock && d.processes !== 'fresh' ? `${d.roundsPerBlock.length} block${d.roundsPerBlock.length === 1 ? '' : 's'} of fresh processes, started in a shuffled order, of ${d.roundsPerBlock.join(', ')} rounds` : null;
  const processes = {
    pool: `${blocks ?? 'one warm process per variant for the whole run'}; each process warmed once and measured in slices; each slice charged with all its process did since its previous slice`,
    pairs: `${blocks ?? 'one warm process per variant for the whole run'}; each process warmed once; every traced variant measured in slices side by side with a slice of the baseline, on the same core; each slice charged with all its process did since its previous slice`,
    fresh: 'a fresh, warmed process per trial',
  }[d.processes];
  const p = run.positionEffect;
  const check = p
    ? `; mean deviation from the variant's median CPU/request by place in the round: ${p.positions.map((x) => `${x.position}: ${signedPct(x.meanDeviationPct)} (noise ±${x.noisePct.toFixed(1)}%)`).join(', ')}`
    : '';
  return `${processes}; one variant after another, shuffled in every round (seed ${d.seed})${warm}${check}`;
}

/** Which service ran, and where each figure comes from when it was measured from outside. */
function serviceDescription(run: RunDocument): string {
  const auto = run.variants.filter((v) => v.instrumentation === 'auto').map((v) => `\`${v.name}\``);
  const autoNote = auto.length > 0 ? `; ${auto.join(', ')}: zero-code instrumentation (the register hook of @opentelemetry/auto-instrumentations-node), whose spans are counted at the collector only` : '';
  const service = run.scenario.service;
  if (service?.kind !== 'external') return `the built-in topology (frontend → users → db, frontend → auth), spans written by hand${autoNote}`;
  const remote = service.allowRemoteTarget ? ' The load target is off this machine, allowed by --allow-remote-target.' : '';
  return (
    `\`${service.command.join(' ')}\` (an external service, started by tracetax in a process group of its own; load to ${service.url})${autoNote}. ` +
    'Measured from outside: CPU (the scheduler\'s run time of every thread) and peak RSS (each process\'s, summed) of its process group from /proc; ' +
    'requests and latency from the load driver; spans, traces, bytes and export lag at the collector. Not known from outside, so left out: ' +
    `server time, event-loop use, heap, and the SDK's own counts (started, sampled, ended, dropped), hence delivery.${remote}`
  );
}

/** The report's head, a line each (report.md prints them as a list). */
export function runHeaderLines(run: RunDocument): string[] {
  const env = run.environment;
  const load = run.scenario.load;
  const pinning = env.pinning.pinned
    ? `service on CPU ${env.pinning.serviceCpus}, load generator and collector on CPU ${env.pinning.harnessCpus}`
    : `not pinned (${env.pinning.reason})`;
  return [
    `Run: ${run.startedAt} → ${run.finishedAt}`,
    `Machine: ${env.cpuModel} × ${env.cpuCount}, ${bytes(env.totalMemoryBytes)}, Node.js ${env.node} (${env.platform}/${env.arch}); ${pinning}`,
    `Load: ${loadDescription(run)}, ${load.warmupRequests === undefined ? `${load.warmupSec} s` : `${num(load.warmupRequests)} requests of`} warm-up (not counted) + ${load.durationSec} s measured ${run.design.processes === 'fresh' ? 'per trial' : 'per slice'}; ${roundsLine(run)}`,
    `Service: ${serviceDescription(run)}`,
    `Order: ${designDescription(run)}`,
    `Export target: ${
      env.exportTarget.kind === 'embedded'
        ? `embedded OTLP collector (gRPC here; variants on OTLP/HTTP to its HTTP receiver)${run.scenario.collector.responseDelayMs > 0 ? `, answering each export after ${run.scenario.collector.responseDelayMs} ms` : ''}`
        : 'remote OTLP/gRPC endpoint'
    } at ${env.exportTarget.endpoint}`,
    `Baseline: \`${run.baseline}\` (no SDK). Every Δ is against it${baseNote(run)}. Spans per request when all are sampled: ${run.spansPerRequestExpected}.`,
    ...[intervalLine(run), aaCheckLine(run), noiseLine(run)].filter((line): line is string => line !== null),
    ...(run.base ? [`Base checkout: \`${run.base.path}\`${run.base.commit ? ` at ${run.base.commit.slice(0, 12)}` : ''}: its service and tracing code ran the \`base:\` variants in the same rounds.`] : []),
  ];
}
