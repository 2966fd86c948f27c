/**
 * Simulate panels from the input-output HMM, with a firm whose interventions respond to the
 * simulated voice.
 *
 * Every customer is observed in periods 1..periods. Period by period, for every customer:
 *   1. the state: from the initial model (period 1) or from the transition model given the previous
 *      state, using the design rows of the current period (the time convention of DESIGN.md);
 *   2. the voice: from the emission model of that state, at the current period's emission row
 *      (optionally replaced by a missing observation with probability `missing`);
 *   3. the intervention: 1 with probability policy.afterComplaint when the voice is a complaint
 *      ('complaint', or the first voice label when there is none), policy.otherwise for any other
 *      voice (including a missing one). When the spec has a selection model, the intervention is
 *      drawn from it instead (the policy is not used): the probability of the customer's state at
 *      the period's selection row, which reads the period's voice as drawn (before it is hidden
 *      by `missing`: the firm saw it) and earlier periods as they are observed.
 * Formulas that read `intervention` (lag, stock, cumsum, ...) are re-evaluated on the history
 * simulated so far before each period, so lag/stock covariates follow the simulated interventions
 * (on the whole panel instead when the formula also standardises over all rows, as scale() does).
 * A formula whose row for period t depends on the intervention of period t itself (e.g.
 * `~ intervention`) would make the state or voice depend on the firm's reaction to that voice:
 * it is circular and refused with a ModelError, as is any formula that reads later periods.
 *
 * Random draws come from one Rng(seed) stream in a fixed order (period, customer, then state,
 * voice, missingness, intervention; with a selection model, every customer's state, voice and
 * missingness of the period, then every customer's intervention), so the same seed gives the
 * same panel.
 */
import { columnRecord, type Panel } from '../data/panel.js';
import type { Design } from '../data/design.js';
import { compileFormula, type CompiledFormula } from '../data/formula.js';
import { compileSelectionFormula, voiceColumnNames } from '../data/selectionDesign.js';
import type { ModelSpec, NamedParameters } from './spec.js';
import { Rng } from './rng.js';
import { createModel, complaintIndex, checkSpec, type ModelDesigns } from '../model/hmmModel.js';
import { ModelError, UsageError } from '../errors.js';
import { createMixtureModel } from '../model/mixtureModel.js';
import type { SubModel } from '../model/subModel.js';

export interface SimulationPolicy {
  /** Probability that the firm intervenes in a period in which the customer complained. */
  afterComplaint: number;
  /** Probability that the firm intervenes in any other period. */
  otherwise: number;
}

/** An exogenous covariate: values row-major [customer*periods + (period-1)], or a function of (customer index, period). */
export type SimulatedCovariate = Float64Array | ((customer: number, period: number) => number);

export interface SimulateOptions {
  customers: number;
  periods: number;
  policy: SimulationPolicy;
  seed: number;
  /** Exogenous numeric columns the formulas may read besides `intervention`. */
  covariates?: Record<string, SimulatedCovariate>;
  /** Probability that a period's voice is missing (default 0). */
  missing?: number;
}

export interface SimulationResult {
  panel: Panel;
  /** True state per row, 0-based (state 1 = 0), row-major like the panel. */
  states: Int32Array;
  /** With latent classes (spec.classes): each customer's true class, 0-based, drawn from the membership model. */
  classes?: Int32Array;
}

const SUBMODELS = ['initial', 'transition', 'emission'] as const;

/** Largest simulated panel, in rows (customers x periods). */
export const MAX_SIMULATED_ROWS = 50_000_000;

function checkOptions(o: SimulateOptions): void {
  const posInt = (name: string, v: number) => {
    if (!Number.isInteger(v) || v < 1) throw new UsageError(`simulate: ${name} must be a positive integer, got ${v}`);
  };
  posInt('customers', o.customers);
  posInt('periods', o.periods);
  if (o.customers * o.periods > MAX_SIMULATED_ROWS) throw new UsageError(`simulate: customers x periods = ${o.customers * o.periods} rows; at most ${MAX_SIMULATED_ROWS}`);
  const prob = (name: string, v: number | undefined) => {
    if (typeof v !== 'number' || !(v >= 0 && v <= 1)) throw new UsageError(`simulate: ${name} must be a probability in [0, 1], got ${v}`);
  };
  prob('policy.afterComplaint', o.policy?.afterComplaint);
  prob('policy.otherwise', o.policy?.otherwise);
  if (o.missing !== undefined) prob('missing', o.missing);
  if (!Number.isFinite(o.seed)) throw new UsageError(`simulate: seed must be a number, got ${o.seed}`);
}

/** Parameter values in the model's order, from a named vector (matched by name) or a flat one. */
function orderedValues(names: string[], params: NamedParameters | Float64Array): Float64Array {
  if (params instanceof Float64Array) {
    if (params.length !== names.length) throw new ModelError(`the model has ${names.length} parameters, got a vector of ${params.length}`);
    return params;
  }
  const given = new Map<string, number>();
  params.names.forEach((n, i) => given.set(n, params.values[i]));
  const missing = names.filter((n) => !given.has(n));
  const extra = params.names.filter((n) => !names.includes(n));
  if (missing.length || extra.length) {
    const parts: string[] = [];
    if (missing.length) parts.push(`missing ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ` (+${missing.length - 5} more)` : ''}`);
    if (extra.length) parts.push(`not in the model ${extra.slice(0, 5).join(', ')}${extra.length > 5 ? ` (+${extra.length - 5} more)` : ''}`);
    throw new ModelError(`the parameters do not match the model specification: ${parts.join('; ')}`);
  }
  return Float64Array.from(names, (n) => given.get(n) as number);
}

/**
 * Refuse formulas whose row for period t changes with the intervention of period t (circular) or
 * of a later period (looking into the future), by flipping one period's intervention at a time
 * on a short probe history.
 */
export function checkTiming(which: string, f: CompiledFormula, probe: Panel): void {
  const L = probe.voice.length;
  const base = probe.columns.intervention.slice();
  const d0 = f.evaluate(probe).values;
  const nCols = f.names.length;
  let current = -1; // a column whose row t moves with period t's intervention
  let later = -1; // a column whose row t moves with a later period's intervention
  for (let t = 0; t < L; t++) {
    const flipped = base.slice();
    flipped[t] = 1 - flipped[t];
    const d1 = f.evaluate({ ...probe, columns: columnRecord({ ...probe.columns, intervention: flipped }) }).values;
    for (let r = 0; r <= t; r++) {
      for (let j = 0; j < nCols; j++) {
        if (d0[r * nCols + j] === d1[r * nCols + j]) continue;
        if (r === t) current = j;
        else later = j;
      }
    }
  }
  if (later >= 0) throw new ModelError(`cannot simulate: the ${which} term '${f.names[later]}' depends on interventions in later periods`);
  if (current >= 0) {
    throw new ModelError(
      `cannot simulate: the ${which} term '${f.names[current]}' depends on the current period's intervention, which the firm chooses after ` +
        `seeing that period's voice (circular); use lag(intervention) or stock(intervention, decay) instead`,
    );
  }
}

export function simulate(spec: ModelSpec, params: NamedParameters | Float64Array, options: SimulateOptions): SimulationResult {
  checkOptions(options);
  checkSpec(spec);
  const N = options.customers;
  const T = options.periods;
  const n = N * T;
  const K = spec.nStates;
  const V = spec.voiceLabels.length;
  const covariates = options.covariates ?? {};

  // Panel skeleton: balanced, customer-major rows.
  const width = String(N).length;
  const offsets = Int32Array.from({ length: N + 1 }, (_, i) => i * T);
  const period = new Int32Array(n);
  for (let i = 0; i < N; i++) for (let t = 0; t < T; t++) period[i * T + t] = t + 1;
  const columns = columnRecord({ intervention: new Float64Array(n) });
  for (const [name, cov] of Object.entries(covariates)) {
    if (name === 'intervention') throw new UsageError('simulate: intervention is simulated and cannot be given as a covariate');
    if (cov instanceof Float64Array) {
      if (cov.length !== n) throw new UsageError(`simulate: covariate '${name}' has ${cov.length} values, expected customers x periods = ${n}`);
      columns[name] = cov.slice();
    } else {
      const col = new Float64Array(n);
      for (let i = 0; i < N; i++) for (let t = 0; t < T; t++) col[i * T + t] = cov(i, t + 1);
      columns[name] = col;
    }
  }
  const panel: Panel = {
    customers: Array.from({ length: N }, (_, i) => `c${String(i + 1).padStart(width, '0')}`),
    offsets,
    period,
    voice: new Int32Array(n).fill(-1),
    voiceLabels: spec.voiceLabels.map((l) => l.toLowerCase()),
    columns,
  };

  const names = Object.keys(columns);
  const compiled = SUBMODELS.map((b) => compileFormula(spec.formulas[b], names));
  const dynamic = compiled.map((f) => f.variables.includes('intervention'));
  if (dynamic.some((x) => x)) {
    const L = Math.min(T, 6);
    const probeCols = columnRecord();
    for (const [name, col] of Object.entries(columns)) probeCols[name] = col.slice(0, L);
    probeCols.intervention = Float64Array.from({ length: L }, (_, t) => (t % 3 === 1 ? 1 : 0));
    const probe: Panel = { ...panel, customers: ['probe'], offsets: Int32Array.from([0, L]), period: period.slice(0, L), voice: new Int32Array(L), columns: probeCols };
    compiled.forEach((f, b) => dynamic[b] && checkTiming(SUBMODELS[b], f, probe));
  }

  // The selection model reads this period's voice and earlier periods through voice indicator
  // columns, kept in the panel while it is simulated (observed indicators: 0 where missing).
  const selF = spec.formulas.selection !== undefined ? compileSelectionFormula(spec.formulas.selection, names, spec.voiceLabels) : undefined;
  const voiceCols = voiceColumnNames(spec.voiceLabels);
  if (selF) for (const c of voiceCols) columns[c] = new Float64Array(n);
  const designs = compiled.map((f) => f.evaluate(panel)); // final for static formulas; period 1 for all
  // A dynamic formula is evaluated on the history so far only if its rows do not depend on later
  // rows of other columns either (scale(x) standardises over the whole panel, for instance);
  // otherwise on the whole panel, whose later interventions are still 0 and cannot matter.
  const local = compiled.map((f, b) => dynamic[b] && historyLocal(f, panel, designs[b], N, T));
  const rng = new Rng(options.seed);
  // One class: the model itself; with classes, each customer's class is drawn first (membership
  // logit on the first row of its customer-level design) and its class's sub-models used throughout.
  let classParts: (readonly [SubModel, SubModel, SubModel])[];
  let classOf: Int32Array | undefined;
  let selection: SubModel | undefined; // the firm's selection model (one class only)
  const modelDesigns = { initial: designs[0], transition: designs[1], emission: designs[2] } as ModelDesigns;
  if (spec.classes) {
    const mf = compileFormula(spec.classes.formula, names);
    if (mf.variables.includes('intervention')) throw new ModelError(`cannot simulate: the class formula '${spec.classes.formula}' reads intervention; class membership is a customer-level model`);
    const membership = mf.evaluate(panel);
    const mixture = createMixtureModel(spec, { ...modelDesigns, membership }, offsets);
    mixture.setParameters(orderedValues(mixture.getParameters().names, params));
    classParts = mixture.classes.map((m) => [m.parts[0], m.parts[1], m.parts[2]] as const);
    const C = mixture.nClasses;
    const mc = membership.names.length;
    const rows = new Float64Array(N * mc);
    for (let i = 0; i < N; i++) rows.set(membership.values.subarray(i * T * mc, (i * T + 1) * mc), i * mc);
    const pi = new Float64Array(N * C);
    mixture.membership.probabilitiesFor(rows, N, pi);
    classOf = new Int32Array(N);
    for (let i = 0; i < N; i++) classOf[i] = rng.categorical(pi, i * C, C);
  } else {
    if (selF) {
      // (the design only sets up the selection sub-model's shape; its rows are evaluated period by period)
      const unitStart = Int32Array.from({ length: n + 1 }, (_, r) => r);
      modelDesigns.selection = { design: selF.evaluate(panel), rows: { unitStart, unitVoice: new Int32Array(n).fill(-1), outcome: new Int32Array(n) } };
    }
    const model = createModel(spec, modelDesigns, offsets);
    model.setParameters(orderedValues(model.getParameters().names, params));
    classParts = [[model.parts[0], model.parts[1], model.parts[2]]];
    selection = model.parts[3];
  }
  const nClasses = classParts.length;
  const selCols = selF ? selF.names.length : 0;
  const selRows = new Float64Array(N * selCols); // [customer*selCols + col]
  const selProb = new Float64Array(N * K * 2); // [(customer*K + k)*2 + d]
  const drawn = new Int32Array(N); // the period's voice as drawn (before missingness)

  const nCols = designs.map((d) => d.names.length);
  const rowsNow = nCols.map((c) => new Float64Array(N * c)); // row-major [customer*nCols + col]
  // The design rows actually used, kept to check at the end that the final designs reproduce them.
  const used = nCols.map((c) => new Float64Array(n * c)); // row-major [row*nCols + col]
  // per class c: [c][customer*K + k], [c][(customer*K + i)*K + j], [c][(customer*K + k)*V + v]
  const initProb = classParts.map(() => new Float64Array(N * K));
  const transProb = classParts.map(() => new Float64Array(N * K * K));
  const emisProb = classParts.map(() => new Float64Array(N * K * V));
  const states = new Int32Array(n);
  const voice = panel.voice;
  const intervention = columns.intervention;
  const complaint = complaintIndex(spec.voiceLabels);
  const missing = options.missing ?? 0;
  const { afterComplaint, otherwise } = options.policy;

  for (let t = 0; t < T; t++) {
    // Formulas that read interventions are evaluated on the history so far (periods 1..t+1 of
    // every customer), which is all a row may depend on; static ones were evaluated once.
    const history = t > 0 && local.some((x) => x) ? truncatePanel(panel, N, T, t + 1) : undefined;
    for (let b = 0; b < 3; b++) {
      if (t > 0 && local[b]) gatherPeriod(compiled[b].evaluate(history!), nCols[b], N, t + 1, t, T, rowsNow[b], used[b]);
      else if (t > 0 && dynamic[b]) gatherPeriod(compiled[b].evaluate(panel), nCols[b], N, T, t, T, rowsNow[b], used[b]);
      else gatherPeriod(designs[b], nCols[b], N, T, t, T, rowsNow[b], used[b]);
    }
    for (let c = 0; c < nClasses; c++) {
      const [initial, transition, emission] = classParts[c];
      if (t === 0) initial.probabilitiesFor(rowsNow[0], N, initProb[c]);
      else transition.probabilitiesFor(rowsNow[1], N, transProb[c]);
      emission.probabilitiesFor(rowsNow[2], N, emisProb[c]);
    }
    for (let i = 0; i < N; i++) {
      const r = i * T + t;
      const c = classOf === undefined ? 0 : classOf[i];
      const s = t === 0 ? rng.categorical(initProb[c], i * K, K) : rng.categorical(transProb[c], (i * K + states[r - 1]) * K, K);
      states[r] = s;
      let v = rng.categorical(emisProb[c], (i * K + s) * V, V);
      drawn[i] = v;
      if (missing > 0 && rng.uniform() < missing) v = -1;
      voice[r] = v;
      if (selF) {
        for (let u = 0; u < V; u++) columns[voiceCols[u]][r] = v === u ? 1 : 0;
        continue;
      }
      intervention[r] = rng.uniform() < (v === complaint ? afterComplaint : otherwise) ? 1 : 0;
    }
    if (selF) {
      // the period's selection rows: this period's voice as drawn, earlier periods as observed
      const hist = truncatePanel(panel, N, T, t + 1);
      const current = columnRecord<Float64Array>();
      voiceCols.forEach((name, c) => {
        const col = hist.columns[name].slice();
        for (let i = 0; i < N; i++) col[i * (t + 1) + t] = drawn[i] === c ? 1 : 0;
        current[name] = col;
      });
      const d = selF.evaluate(hist, current).values;
      for (let i = 0; i < N; i++) for (let j = 0; j < selCols; j++) selRows[i * selCols + j] = d[(i * (t + 1) + t) * selCols + j];
      selection!.probabilitiesFor(selRows, N, selProb);
      for (let i = 0; i < N; i++) intervention[i * T + t] = rng.uniform() < selProb[(i * K + states[i * T + t]) * 2 + 1] ? 1 : 0;
    }
  }
  for (const c of selF ? voiceCols : []) delete columns[c];

  // Self-check: the designs of the finished panel are the ones the simulation used.
  for (let b = 0; b < 3; b++) {
    const final = dynamic[b] ? compiled[b].evaluate(panel).values : designs[b].values;
    const u = used[b];
    for (let e = 0; e < u.length; e++) {
      if (final[e] !== u[e]) throw new Error(`simulate: the ${SUBMODELS[b]} design changed after its period was simulated (value ${e})`);
    }
  }
  return classOf ? { panel, states, classes: classOf } : { panel, states };
}

/**
 * Copy the rows of period t (0-based) of every customer into out [customer*nCols + col] and into
 * used [(customer*T + t)*nCols + col]; d has `len` rows per customer (row-major [row*nCols + col]).
 */
function gatherPeriod(d: Design, nCols: number, N: number, len: number, t: number, T: number, out: Float64Array, used: Float64Array): void {
  const v = d.values;
  for (let i = 0; i < N; i++) {
    const r = i * len + t;
    const u = i * T + t;
    for (let j = 0; j < nCols; j++) {
      out[i * nCols + j] = v[r * nCols + j];
      used[u * nCols + j] = v[r * nCols + j];
    }
  }
}

/** Whether the formula's rows for the first periods are the same on the truncated panel as on the whole one. */
function historyLocal(f: CompiledFormula, panel: Panel, full: Design, N: number, T: number): boolean {
  const L = Math.min(T, 3);
  const part = f.evaluate(truncatePanel(panel, N, T, L)).values;
  const nCols = f.names.length;
  const v = full.values;
  for (let i = 0; i < N; i++) {
    for (let t = 0; t < L; t++) {
      for (let j = 0; j < nCols; j++) if (part[(i * L + t) * nCols + j] !== v[(i * T + t) * nCols + j]) return false;
    }
  }
  return true;
}

/** The first `len` periods of every customer of a balanced panel with T periods each. */
function truncatePanel(panel: Panel, N: number, T: number, len: number): Panel {
  const n = N * len;
  const pick = <A extends Float64Array | Int32Array>(src: A, dst: A): A => {
    for (let i = 0; i < N; i++) dst.set(src.subarray(i * T, i * T + len), i * len);
    return dst;
  };
  const columns = columnRecord();
  for (const [name, col] of Object.entries(panel.columns)) columns[name] = pick(col, new Float64Array(n));
  return {
    customers: panel.customers,
    offsets: Int32Array.from({ length: N + 1 }, (_, i) => i * len),
    period: pick(panel.period, new Int32Array(n)),
    voice: pick(panel.voice, new Int32Array(n)),
    voiceLabels: panel.voiceLabels,
    columns,
  };
}
