/**
 * Projection of a panel's customers under a response policy, one simulated path at a time.
 *
 * The starting point (ProjectionBase, one per parameter vector): with `from: 'end'` every customer's
 * history is run through the model once (a forward filter over the panel's own voice and
 * interventions), giving the filtered state distribution at the customer's last period, the
 * formulas' running state (lags, stocks: formulaStepper.ts) and the firm's feature history; with
 * `from: 'start'` the customers start before their first period with empty histories and the
 * initial model's state distribution. Covariates other than the intervention keep the panel's
 * values where the projected period is in the panel (`start`), else the customer's last value.
 *
 * A path (simulatePath) projects all customers together over H periods. Each period, for every
 * customer: the state distribution given the path's history so far (the filter, moved by the
 * transition model at the period's design row); the voice probabilities it implies; a voice drawn
 * from them; the filter conditioned on that voice (the posterior the `state:k` and `budget:n`
 * policies read); the policy's intervention; and the period appended to the histories. Drawing the
 * observable history alone, with the state carried as its exact conditional distribution, is the
 * same process as drawing states too, and recording the conditional expectations (voice
 * probabilities, state distributions, intervention probabilities) instead of the draws gives the
 * same means with less Monte Carlo noise.
 *
 * With `exact` (policies that ignore voice: `none`) nothing is drawn: the state distribution is
 * propagated unconditioned, which gives the expected counts exactly.
 *
 * Per-path output, row-major [h*M + m], M = V + 1 + K: summed over customers in projected period
 * h + 1, the probability of each voice (label order), the expected intervention, and the
 * probability of each state (shares times the number of customers).
 */
import type { Panel } from '../../data/panel.js';
import { compileFormula, type CompiledFormula } from '../../data/formula.js';
import type { FormulaStepper } from '../../data/formulaStepper.js';
import type { ModelSpec, NamedParameters } from '../../estimation/spec.js';
import { checkTiming } from '../../estimation/simulate.js';
import type { Rng } from '../../estimation/rng.js';
import { complaintIndex, createModel, type HmmModel } from '../../model/hmmModel.js';
import type { SubModel } from '../../model/subModel.js';
import { modelWithParameters } from '../computeEffects.js';
import { FirmHistory, complimentIndex, firmEta } from './firmPolicy.js';
import type { PolicySpec } from './policySpec.js';

export type ProjectFrom = 'end' | 'start';

const BLOCKS = ['initial', 'transition', 'emission'] as const;

/** Compile the spec's formulas against the panel's columns and refuse circular ones (a row reading its own period's intervention). */
export function compileProjectionFormulas(spec: ModelSpec, panel: Panel): CompiledFormula[] {
  const columns = Object.keys(panel.columns);
  const compiled = BLOCKS.map((b) => compileFormula(spec.formulas[b], columns));
  const L = Math.min(6, panel.offsets[1] - panel.offsets[0]);
  const probeCols: Record<string, Float64Array> = {};
  for (const [name, col] of Object.entries(panel.columns)) probeCols[name] = col.slice(0, L);
  probeCols.intervention = Float64Array.from({ length: L }, (_, t) => (t % 3 === 1 ? 1 : 0));
  const probe: Panel = { ...panel, customers: ['probe'], offsets: Int32Array.from([0, L]), period: panel.period.slice(0, L), voice: new Int32Array(L), columns: probeCols };
  compiled.forEach((f, b) => {
    if (f.variables.includes('intervention')) checkTiming(BLOCKS[b], f, probe);
    f.stepper(0); // FormulaError for scale()
  });
  return compiled;
}

/**
 * What does not depend on the parameters: the formulas' running state and the firm's history after
 * each customer's last period (`end`), the covariates of the projected periods, and the model on
 * the panel's own (compressed) designs, on which each parameter vector's forward filter runs.
 */
export interface ProjectionContext {
  spec: ModelSpec;
  K: number;
  V: number;
  N: number;
  H: number;
  from: ProjectFrom;
  compiled: CompiledFormula[];
  steppers: FormulaStepper[];
  /** Stepper states after the customers' histories (empty for `start`). */
  snapshots: Float64Array[];
  firm: FirmHistory;
  /** Column inputs of projected period h + 1: exo[h][column][i] (intervention: a buffer the paths fill). */
  exo: Record<string, Float64Array>[];
  complaint: number;
  compliment: number;
  nCols: number[];
  /** `end` only: the model on the panel's designs, its probability tables' scratch, the panel's offsets and voice. */
  history: { model: HmmModel; tables: Float64Array[]; offsets: Int32Array; voice: Int32Array } | null;
}

/** Everything a path starts from, for one parameter vector. */
export interface ProjectionBase extends ProjectionContext {
  /** Sub-models with the parameter vector, for arbitrary design rows. */
  parts: readonly [SubModel, SubModel, SubModel];
  /** Filtered state distribution after each customer's history, [i*K + k] (unused for `start`). */
  filter: Float64Array;
}

/** Measures per projected period: voices, interventions, states. */
export function measureCount(K: number, V: number): number {
  return V + 1 + K;
}

/** The parameter-free part of the projection of `panel` over `horizon` periods. */
export function projectionContext(spec: ModelSpec, panel: Panel, horizon: number, from: ProjectFrom): ProjectionContext {
  const compiled = compileProjectionFormulas(spec, panel);
  const N = panel.customers.length;
  const K = spec.nStates;
  const V = spec.voiceLabels.length;
  const steppers = compiled.map((f) => f.stepper(N));
  const nCols = compiled.map((f) => f.names.length);
  const exoNames = [...new Set(compiled.flatMap((f) => f.variables))].filter((v) => v !== 'intervention');
  const firm = new FirmHistory(N);
  const complaint = complaintIndex(spec.voiceLabels);
  const { offsets, voice } = panel;
  const len = (i: number) => offsets[i + 1] - offsets[i];
  let history: ProjectionContext['history'] = null;

  if (from === 'end') {
    // The steppers and the firm's features fed with every customer's history, period by period
    // (customers that have ended drop out).
    let longest = 0;
    for (let i = 0; i < N; i++) longest = Math.max(longest, len(i));
    const active = new Int32Array(N);
    const inputs: Record<string, Float64Array> = {};
    for (const v of [...exoNames, 'intervention']) inputs[v] = new Float64Array(N);
    for (let j = 0; j < longest; j++) {
      let count = 0;
      for (let i = 0; i < N; i++) if (len(i) > j) active[count++] = i;
      for (const [v, buf] of Object.entries(inputs)) {
        const col = panel.columns[v];
        for (let a = 0; a < count; a++) buf[a] = col[offsets[active[a]] + j];
      }
      for (let a = 0; a < count; a++) {
        const r = offsets[active[a]] + j;
        firm.push(active[a], voice[r] === complaint ? 1 : 0, panel.columns.intervention[r]);
      }
      for (const s of steppers) s.push(inputs, count, active);
    }
    const designs = { initial: compiled[0].evaluate(panel), transition: compiled[1].evaluate(panel), emission: compiled[2].evaluate(panel) };
    const model = createModel(spec, designs, offsets);
    const tables = model.parts.map((p) => new Float64Array(p.design.nPatterns * p.nGroups * p.nOut));
    history = { model, tables, offsets, voice };
  }
  const snapshots = steppers.map((s) => s.saveState());

  const exo: Record<string, Float64Array>[] = [];
  const shared = new Float64Array(N); // intervention buffer, filled by the paths
  for (let h = 0; h < horizon; h++) {
    const cols: Record<string, Float64Array> = { intervention: shared };
    for (const v of exoNames) {
      const col = panel.columns[v];
      const out = new Float64Array(N);
      for (let i = 0; i < N; i++) out[i] = col[offsets[i] + (from === 'start' ? Math.min(h, len(i) - 1) : len(i) - 1)];
      cols[v] = out;
    }
    exo.push(cols);
  }
  return { spec, K, V, N, H: horizon, from, compiled, steppers, snapshots, firm, exo, complaint, compliment: complimentIndex(spec.voiceLabels), nCols, history };
}

/**
 * The starting point under parameters `values` (named `names`, the spec's order): sub-models at
 * those parameters and, for `end`, every customer's filtered state distribution in their last
 * period (the forward filter over the panel's pattern tables).
 */
export function projectionBase(ctx: ProjectionContext, names: string[], values: Float64Array): ProjectionBase {
  const { spec, compiled, N, K, V } = ctx;
  const dummy = (f: CompiledFormula) => ({ names: f.names, values: new Float64Array(f.names.length) });
  const params: NamedParameters = { names, values, blocks: [] };
  const model = modelWithParameters(spec, params, { initial: dummy(compiled[0]), transition: dummy(compiled[1]), emission: dummy(compiled[2]) }, Int32Array.of(0, 1));
  const filter = new Float64Array(N * K);
  const h = ctx.history;
  if (h !== null) {
    h.model.setParameters(values);
    h.model.parts.forEach((p, b) => p.probabilities(h.tables[b]));
    const [init, trans, emis] = h.tables;
    const [ii, ti, ei] = h.model.parts.map((p) => p.design.index);
    const { offsets, voice } = h;
    const pred = new Float64Array(K);
    for (let i = 0; i < N; i++) {
      const f = i * K;
      for (let r = offsets[i]; r < offsets[i + 1]; r++) {
        for (let k = 0; k < K; k++) {
          if (r === offsets[i]) pred[k] = init[ii[i] * K + k];
          else {
            let s = 0;
            const tb = ti[r] * K * K;
            for (let l = 0; l < K; l++) s += filter[f + l] * trans[tb + l * K + k];
            pred[k] = s;
          }
        }
        const v = voice[r];
        const eb = ei[r] * K * V;
        let total = 0;
        for (let k = 0; k < K; k++) {
          const w = v >= 0 ? pred[k] * emis[eb + k * V + v] : pred[k];
          filter[f + k] = w;
          total += w;
        }
        if (total > 0 && Number.isFinite(total)) for (let k = 0; k < K; k++) filter[f + k] /= total;
        else for (let k = 0; k < K; k++) filter[f + k] = pred[k];
      }
    }
  }
  // (a selection sub-model, when the fit has one, plays no part: the policy decides the interventions)
  return { ...ctx, parts: [model.parts[0], model.parts[1], model.parts[2]], filter };
}

/** Scratch buffers of simulatePath, sized for a base. */
export interface PathScratch {
  rows: Float64Array[];
  init: Float64Array;
  trans: Float64Array;
  emis: Float64Array;
  filter: Float64Array;
  pred: Float64Array;
  /** Voice probabilities given the path so far, [i*V + v]. */
  voiceProb: Float64Array;
  drawn: Int32Array;
  /** P(intervention | drawn voice, path so far), [i]. */
  intervention: Float64Array;
  /** P(intervention | path so far), the voice not yet drawn, [i] (what is recorded). */
  expected: Float64Array;
  firm: FirmHistory;
  features: Float64Array;
  order: Int32Array;
}

export function pathScratch(b: ProjectionBase): PathScratch {
  const { N, K, V } = b;
  return {
    rows: b.nCols.map((c) => new Float64Array(N * c)),
    init: new Float64Array(N * K),
    trans: new Float64Array(N * K * K),
    emis: new Float64Array(N * K * V),
    filter: new Float64Array(N * K),
    pred: new Float64Array(N * K),
    voiceProb: new Float64Array(N * V),
    drawn: new Int32Array(N),
    intervention: new Float64Array(N),
    expected: new Float64Array(N),
    firm: new FirmHistory(N),
    features: new Float64Array(8),
    order: new Int32Array(N),
  };
}

/**
 * Project one path into out (row-major [h*M + m], see the file header; overwritten). `firmBeta` are
 * the observed policy's coefficients (firmPolicy.ts order); rng is the path's own stream (unused
 * when exact).
 */
export function simulatePath(b: ProjectionBase, policy: PolicySpec, firmBeta: ArrayLike<number>, rng: Rng | null, exact: boolean, s: PathScratch, out: Float64Array): void {
  const { N, K, V, H, parts, steppers } = b;
  const M = measureCount(K, V);
  if (out.length !== H * M) throw new RangeError(`out has length ${out.length}, expected ${H * M}`);
  if (!exact && rng === null) throw new RangeError('a Monte Carlo path needs its random stream');
  if (exact && policy.kind !== 'none') throw new RangeError(`policy ${policy.kind} depends on voice: it has no exact projection`);
  out.fill(0);
  steppers.forEach((st, j) => st.restoreState(b.snapshots[j]));
  s.filter.set(b.filter);
  s.firm.copyFrom(b.firm);
  const withCompliment = b.compliment >= 0;
  const nFeatures = withCompliment ? 6 : 5;
  for (let h = 0; h < H; h++) {
    const inputs = b.exo[h];
    const iv = inputs.intervention;
    iv.fill(0);
    const fresh = b.from === 'start' && h === 0;
    if (fresh) {
      steppers[0].row(inputs, N, null, s.rows[0]);
      parts[0].probabilitiesFor(s.rows[0], N, s.init);
    } else {
      steppers[1].row(inputs, N, null, s.rows[1]);
      parts[1].probabilitiesFor(s.rows[1], N, s.trans);
    }
    steppers[2].row(inputs, N, null, s.rows[2]);
    parts[2].probabilitiesFor(s.rows[2], N, s.emis);
    const o = h * M;
    for (let i = 0; i < N; i++) {
      // State distribution of this period given the path so far.
      for (let k = 0; k < K; k++) {
        let p: number;
        if (fresh) p = s.init[i * K + k];
        else {
          p = 0;
          for (let l = 0; l < K; l++) p += s.filter[i * K + l] * s.trans[(i * K + l) * K + k];
        }
        s.pred[i * K + k] = p;
        out[o + V + 1 + k] += p;
      }
      for (let v = 0; v < V; v++) {
        let q = 0;
        for (let k = 0; k < K; k++) q += s.pred[i * K + k] * s.emis[(i * K + k) * V + v];
        s.voiceProb[i * V + v] = q;
        out[o + v] += q;
      }
      if (exact) {
        for (let k = 0; k < K; k++) s.filter[i * K + k] = s.pred[i * K + k];
        s.drawn[i] = -1;
        continue;
      }
      const v = rng!.categorical(s.voiceProb, i * V, V);
      s.drawn[i] = v;
      let total = 0;
      for (let k = 0; k < K; k++) {
        const w = s.pred[i * K + k] * s.emis[(i * K + k) * V + v];
        s.filter[i * K + k] = w;
        total += w;
      }
      for (let k = 0; k < K; k++) s.filter[i * K + k] /= total;
    }
    decide(b, policy, firmBeta, s, nFeatures, withCompliment);
    let spent = 0;
    for (let i = 0; i < N; i++) spent += s.expected[i];
    out[o + V] = spent;
    for (let i = 0; i < N; i++) {
      // The draw moves the path; the recorded count is its expectation given the voice. One
      // uniform per customer and period whatever the policy, so that policies share their streams.
      const p = s.intervention[i];
      const u = exact ? 0.5 : rng!.uniform();
      iv[i] = p >= 1 || (p > 0 && u < p) ? 1 : 0;
      s.firm.push(i, s.drawn[i] === b.complaint ? 1 : 0, iv[i]);
    }
    for (const st of steppers) st.push(inputs, N, null);
  }
}

/**
 * s.intervention[i] = the probability that the policy intervenes toward customer i this period given
 * the drawn voice (it moves the path), s.expected[i] = the same before the voice is drawn, the sum
 * over voices of their probability times the policy's answer to them (it is recorded: the same
 * mean, less noise). For budget:n, which ranks customers against each other, the recorded value is
 * the intervention given the drawn voices.
 */
function decide(b: ProjectionBase, policy: PolicySpec, beta: ArrayLike<number>, s: PathScratch, nFeatures: number, withCompliment: boolean): void {
  const { N, K, V, complaint, compliment } = b;
  const iv = s.intervention;
  const ex = s.expected;
  const q = s.voiceProb;
  switch (policy.kind) {
    case 'none':
      iv.fill(0);
      ex.fill(0);
      return;
    case 'all':
      for (let i = 0; i < N; i++) {
        iv[i] = s.drawn[i] === complaint ? 1 : 0;
        ex[i] = q[i * V + complaint];
      }
      return;
    case 'rate':
      for (let i = 0; i < N; i++) {
        iv[i] = s.drawn[i] === complaint ? policy.p : 0;
        ex[i] = policy.p * q[i * V + complaint];
      }
      return;
    case 'state':
      for (let i = 0; i < N; i++) {
        // Posterior of states <= k had the customer complained (the filter, when they did).
        let low = 0;
        for (let k = 0; k < policy.k && k < K; k++) low += s.pred[i * K + k] * s.emis[(i * K + k) * V + complaint];
        const qc = q[i * V + complaint];
        const answer = qc > 0 && low / qc > 0.5 ? 1 : 0;
        iv[i] = s.drawn[i] === complaint ? answer : 0;
        ex[i] = qc * answer;
      }
      return;
    case 'budget': {
      let n = 0;
      for (let i = 0; i < N; i++) {
        iv[i] = 0;
        if (s.drawn[i] === complaint) s.order[n++] = i;
      }
      // The complaining customers most likely in the worst state first; ties by customer order.
      const worst = s.order.subarray(0, n).sort((a, c) => s.filter[c * K] - s.filter[a * K] || a - c);
      for (let j = 0; j < Math.min(policy.n, n); j++) iv[worst[j]] = 1;
      ex.set(iv);
      return;
    }
    case 'observed':
      for (let i = 0; i < N; i++) {
        // The firm's features differ by voice only through the complaint and compliment indicators.
        const pr = (c: number, g: number) => {
          s.firm.features(i, c, g, withCompliment, s.features, 0);
          return 1 / (1 + Math.exp(-firmEta(beta, s.features, 0, nFeatures)));
        };
        const pc = pr(1, 0);
        const pg = withCompliment ? pr(0, 1) : 0;
        const po = pr(0, 0);
        const qc = q[i * V + complaint];
        const qg = withCompliment ? q[i * V + compliment] : 0;
        iv[i] = s.drawn[i] === complaint ? pc : withCompliment && s.drawn[i] === compliment ? pg : po;
        ex[i] = qc * pc + qg * pg + (1 - qc - qg) * po;
      }
      return;
  }
}
