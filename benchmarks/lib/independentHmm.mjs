// An independent implementation of the pieces of the intervention-effect report, written from the
// model's definition without the project's code: probabilities from the named parameters (multinomial
// logits against the reference category), lag/stock of the intervention column, a scaled
// forward-backward pass for the complaint-state mix, and Monte Carlo paths of the report's
// hypothetical customer (complained in period 0, one intervention in period 0 or none, no later
// intervention). Used by benchmarks/naive-check.mjs to check the report's net effects.
// Only multinomial transitions and the terms (Intercept), lag(intervention[, k]) and
// stock(intervention, d) are supported (the channel benchmark's models).

/** Value of one design term for a customer's intervention history x[0..t-1] at period t. */
function termValue(term, x, t) {
  if (term === '(Intercept)') return 1;
  let m;
  if ((m = /^lag\(intervention(?:,\s*(\d+))?\)$/.exec(term))) {
    const k = m[1] ? +m[1] : 1;
    return t - k >= 0 ? x[t - k] : 0;
  }
  if ((m = /^stock\(intervention,\s*([0-9.eE+-]+)\)$/.exec(term))) {
    const d = +m[1];
    let s = 0;
    for (let u = t - 1, w = 1; u >= 0; u--, w *= d) s += w * x[u];
    return s;
  }
  throw new Error(`independentHmm: unsupported term ${term}`);
}

/** The model as coefficient lists read from the parameter names. */
export function readModel(spec, parameters) {
  if (spec.transitionType !== 'multinomial') throw new Error('independentHmm: multinomial transitions only');
  const K = spec.nStates;
  const labels = spec.voiceLabels;
  const ref = labels.indexOf(spec.referenceVoice);
  const initial = Array.from({ length: K }, () => []);
  const trans = Array.from({ length: K }, () => Array.from({ length: K }, () => []));
  const emis = Array.from({ length: K }, () => labels.map(() => []));
  parameters.names.forEach((n, i) => {
    const b = parameters.values[i];
    let m;
    if ((m = /^initial\[(\d+)\]:(.*)$/.exec(n))) initial[+m[1] - 1].push([m[2], b]);
    else if ((m = /^transition\[(\d+)->(\d+)\]:(.*)$/.exec(n))) trans[+m[1] - 1][+m[2] - 1].push([m[3], b]);
    else if ((m = /^emission\[(\d+)\]:([^:]+):(.*)$/.exec(n))) emis[+m[1] - 1][labels.indexOf(m[2])].push([m[3], b]);
    else if ((m = /^emission:([^:]+):(.*)$/.exec(n))) for (let k = 0; k < K; k++) emis[k][labels.indexOf(m[1])].push([m[2], b]);
    else throw new Error(`independentHmm: unknown parameter ${n}`);
  });
  return { K, V: labels.length, labels, ref, initial, trans, emis };
}

function softmax(etas) {
  const mx = Math.max(...etas);
  const e = etas.map((x) => Math.exp(x - mx));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / s);
}
const eta = (coefs, x, t) => coefs.reduce((s, [term, b]) => s + b * termValue(term, x, t), 0);

/** P(state j in period t | state i in period t-1) given the history x, as [i][j] (stay is the reference). */
export function transitionAt(model, x, t) {
  return model.trans.map((row, i) => softmax(row.map((coefs, j) => (j === i ? 0 : eta(coefs, x, t)))));
}
/** P(voice v | state k) in period t, as [k][v]. */
export function emissionAt(model, x, t) {
  return model.emis.map((row) => softmax(row.map((coefs, v) => (v === model.ref ? 0 : eta(coefs, x, t)))));
}
function initialAt(model, x) {
  return softmax(model.initial.map((coefs, k) => (k === 0 ? 0 : eta(coefs, x, 0))));
}

/**
 * The state mix of the panel's complaint rows: the average over rows whose voice is a complaint of
 * the posterior state probabilities (scaled forward-backward per customer). With `keep` (an
 * array), each complaint row's posterior is pushed to it as {customer, t, posterior}.
 */
export function complaintStateMix(model, panel, keep = null) {
  const { K } = model;
  const complaint = panel.voiceLabels.indexOf('complaint');
  const mix = new Array(K).fill(0);
  let rows = 0;
  for (let c = 0; c < panel.customers.length; c++) {
    const a = panel.offsets[c];
    const T = panel.offsets[c + 1] - a;
    const x = Array.from(panel.columns.intervention.subarray(a, a + T));
    const ems = [];
    const trs = [];
    for (let t = 0; t < T; t++) {
      const v = panel.voice[a + t];
      const E = emissionAt(model, x, t);
      ems.push(E.map((row) => (v < 0 ? 1 : row[v])));
      trs.push(t > 0 ? transitionAt(model, x, t) : null);
    }
    const alpha = [];
    let f = initialAt(model, x).map((p, k) => p * ems[0][k]);
    let s = f.reduce((p, q) => p + q, 0);
    alpha.push(f.map((p) => p / s));
    for (let t = 1; t < T; t++) {
      f = Array.from({ length: K }, (_, j) => alpha[t - 1].reduce((acc, p, i) => acc + p * trs[t][i][j], 0) * ems[t][j]);
      s = f.reduce((p, q) => p + q, 0);
      alpha.push(f.map((p) => p / s));
    }
    let beta = new Array(K).fill(1);
    for (let t = T - 1; t >= 0; t--) {
      if (panel.voice[a + t] === complaint) {
        const g = alpha[t].map((p, k) => p * beta[k]);
        const z = g.reduce((p, q) => p + q, 0);
        for (let k = 0; k < K; k++) mix[k] += g[k] / z;
        rows++;
        if (keep) keep.push({ customer: c, t, posterior: g.map((p) => p / z) });
      }
      if (t > 0) {
        const nb = Array.from({ length: K }, (_, i) => trs[t][i].reduce((acc, p, j) => acc + p * ems[t][j] * beta[j], 0));
        const z = nb.reduce((p, q) => p + q, 0);
        beta = nb.map((p) => p / z);
      }
    }
  }
  return { mix: mix.map((m) => m / rows), rows };
}

/** A small seeded generator (mulberry32): uniforms in [0, 1). */
export function uniforms(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const draw = (p, u) => {
  let c = 0;
  for (let i = 0; i < p.length; i++) {
    c += p[i];
    if (u < c) return i;
  }
  return p.length - 1;
};

/**
 * Monte Carlo net effect of one intervention in period 0 on the hypothetical customer: `paths`
 * pairs of paths from the start mix (common random numbers for the two arms), periods 1..horizon,
 * no later intervention. Returns per voice the mean of (count with - count without) and its
 * standard error, over the horizon.
 */
export function monteCarloNet(model, startMix, horizon, paths, seed) {
  const { V, labels } = model;
  const hist = [new Array(horizon + 1).fill(0), new Array(horizon + 1).fill(0)];
  hist[1][0] = 1;
  // The probabilities depend on the period only through the history, the same on every path.
  const T = hist.map((x) => Array.from({ length: horizon + 1 }, (_, t) => (t > 0 ? transitionAt(model, x, t) : null)));
  const E = hist.map((x) => Array.from({ length: horizon + 1 }, (_, t) => emissionAt(model, x, t)));
  const u = uniforms(seed);
  const sum = new Array(V).fill(0);
  const sq = new Array(V).fill(0);
  const counts = [new Array(V), new Array(V)];
  for (let p = 0; p < paths; p++) {
    const u0 = u();
    const us = Array.from({ length: 2 * horizon }, u);
    for (const arm of [0, 1]) {
      counts[arm].fill(0);
      let k = draw(startMix, u0);
      for (let t = 1; t <= horizon; t++) {
        k = draw(T[arm][t][k], us[2 * (t - 1)]);
        counts[arm][draw(E[arm][t][k], us[2 * (t - 1) + 1])]++;
      }
    }
    for (let v = 0; v < V; v++) {
      const d = counts[1][v] - counts[0][v];
      sum[v] += d;
      sq[v] += d * d;
    }
  }
  const out = {};
  labels.forEach((l, v) => {
    const m = sum[v] / paths;
    out[l] = { net: m, se: Math.sqrt((sq[v] / paths - m * m) / paths) };
  });
  return out;
}

/**
 * The population version of the net effect: for each of the given complaint rows (from
 * complaintStateMix's `keep`), the customer's own intervention history up to the row, with the
 * row's intervention set to 1 or to 0 and none later; the state distribution starts at the row's
 * posterior and is propagated exactly. Returns per voice the mean over the rows of the expected
 * count with minus without over periods 1..horizon after the row.
 */
export function populationNet(model, panel, rows, horizon) {
  const { K, V, labels } = model;
  const sum = new Array(V).fill(0);
  for (const r of rows) {
    const a = panel.offsets[r.customer];
    const before = Array.from(panel.columns.intervention.subarray(a, a + r.t));
    const exp = [new Array(V).fill(0), new Array(V).fill(0)];
    for (const arm of [0, 1]) {
      const x = [...before, arm, ...new Array(horizon).fill(0)];
      let d = r.posterior.slice();
      for (let h = 1; h <= horizon; h++) {
        const t = r.t + h;
        const T = transitionAt(model, x, t);
        d = Array.from({ length: K }, (_, j) => d.reduce((s, p, i) => s + p * T[i][j], 0));
        const E = emissionAt(model, x, t);
        for (let v = 0; v < V; v++) for (let k = 0; k < K; k++) exp[arm][v] += d[k] * E[k][v];
      }
    }
    for (let v = 0; v < V; v++) sum[v] += exp[1][v] - exp[0][v];
  }
  return Object.fromEntries(labels.map((l, v) => [l, sum[v] / rows.length]));
}
