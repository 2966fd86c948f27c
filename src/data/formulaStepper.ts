/**
 * Period-by-period evaluation of a compiled formula, for histories that are simulated one period
 * at a time (policy projections): instead of re-evaluating the formula on the whole history every
 * period (cost proportional to the history's length), a stepper keeps, per unit (a customer on one
 * simulated path), the running state of every within-customer function:
 *   lag(x, k)      the last k values of x, most recent first
 *   stock(x, d)    the stock of the periods so far (the current period not included)
 *   cumsum(x)      the sum of the periods before the current one
 * and gives the design row of the current period from that state and the current period's columns,
 * with the same values as CompiledFormula.evaluate on the whole history (tested against it).
 * scale() standardises over all rows of a panel, which a stepped history does not have: refused.
 *
 * Hand-written loops (vectorised over units) because a projection calls them for every customer,
 * period and path.
 */
import type { MathNode } from 'mathjs';
import { FormulaError } from '../errors.js';

export interface FormulaStepper {
  /** Design column names (as CompiledFormula.names). */
  readonly names: string[];
  /** Units whose histories the stepper keeps. */
  readonly units: number;
  /**
   * The current period's design rows of `count` units: out row-major [i*nCols + j]. inputs[column][i]
   * is that column's value in the current period for unit `units[i]` (unit i when `units` is null).
   * Does not change the histories.
   */
  row(inputs: Record<string, Float64Array>, count: number, units: Int32Array | null, out: Float64Array): void;
  /** Append the current period (same arguments as `row`) to the units' histories. */
  push(inputs: Record<string, Float64Array>, count: number, units: Int32Array | null): void;
  /** Every unit's history state as one array (a copy), and back. */
  saveState(): Float64Array;
  restoreState(state: Float64Array): void;
  /** Empty histories (every unit before its first period). */
  reset(): void;
}

interface OpNode { type: 'OperatorNode'; fn: string; args: MathNode[] }
interface FnNode { type: 'FunctionNode'; fn: { name: string }; args: MathNode[] }

type Value = Float64Array | number;

/** A within-customer function's state: `width` values per unit from `offset` in the state array. */
interface Stateful {
  node: FnNode;
  kind: 'lag' | 'stock' | 'cumsum';
  /** lag: k; stock: decay. */
  param: number;
  offset: number;
  width: number;
}

/**
 * A stepper for the terms of a compiled formula (their parsed nodes), `units` units wide.
 * `constant` evaluates the column-free arguments of lag and stock (k, decay).
 */
export function createFormulaStepper(
  formula: string,
  names: string[],
  intercept: boolean,
  terms: MathNode[],
  units: number,
  constant: (n: MathNode) => number | undefined,
): FormulaStepper {
  if (!(Number.isInteger(units) && units >= 0)) throw new RangeError(`units must be a whole number >= 0, got ${units}`);
  const buffers = new Map<MathNode, Float64Array>();
  const stateful = new Map<MathNode, Stateful>();
  let size = 0;
  const collect = (n: MathNode): void => {
    if (n.type === 'FunctionNode') {
      const f = n as unknown as FnNode;
      const name = f.fn.name;
      if (name === 'scale') {
        throw new FormulaError(formula, 'scale() standardises over all rows of a panel and cannot be evaluated on a history simulated period by period; put the standardised covariate in the panel as a column');
      }
      if (name === 'lag' || name === 'stock' || name === 'cumsum') {
        const param = name === 'lag' ? (f.args.length > 1 ? (constant(f.args[1]) as number) : 1) : name === 'stock' ? (constant(f.args[1]) as number) : 0;
        const width = name === 'lag' ? param : 1;
        stateful.set(n, { node: f, kind: name, param, offset: size, width });
        size += width * units;
      }
      collect(f.args[0]);
      buffers.set(n, new Float64Array(units));
      return;
    }
    if (n.type !== 'ConstantNode' && n.type !== 'SymbolNode') buffers.set(n, new Float64Array(units));
    n.forEach((c) => collect(c));
  };
  for (const t of terms) collect(t);
  const state = new Float64Array(size);
  const order = [...stateful.values()];
  const nCols = names.length;

  let count = 0;
  let unitIndex: Int32Array | null = null;
  let inputs: Record<string, Float64Array> = {};

  const unary = (a: Value, out: Float64Array, f: (x: number) => number): Value => {
    if (typeof a === 'number') return f(a);
    for (let i = 0; i < count; i++) out[i] = f(a[i]);
    return out;
  };
  const binary = (a: Value, b: Value, out: Float64Array, f: (x: number, y: number) => number): Value => {
    if (typeof a === 'number' && typeof b === 'number') return f(a, b);
    if (typeof a === 'number') for (let i = 0; i < count; i++) out[i] = f(a, (b as Float64Array)[i]);
    else if (typeof b === 'number') for (let i = 0; i < count; i++) out[i] = f(a[i], b);
    else for (let i = 0; i < count; i++) out[i] = f(a[i], b[i]);
    return out;
  };
  const unit = (i: number): number => (unitIndex === null ? i : unitIndex[i]);

  /** The node's value in the current period (row semantics: histories as they are). */
  const value = (n: MathNode): Value => {
    switch (n.type) {
      case 'ConstantNode':
        return (n as unknown as { value: number }).value;
      case 'SymbolNode': {
        const name = (n as unknown as { name: string }).name;
        const col = inputs[name];
        if (col === undefined) throw new FormulaError(formula, `no value given for column '${name}' in the stepped period`);
        return col;
      }
      case 'ParenthesisNode':
        return value((n as unknown as { content: MathNode }).content);
      case 'OperatorNode': {
        const o = n as unknown as OpNode;
        const out = buffers.get(n)!;
        const a = value(o.args[0]);
        if (o.fn === 'unaryMinus') return unary(a, out, (x) => -x);
        if (o.fn === 'unaryPlus') return a;
        const b = value(o.args[1]);
        switch (o.fn) {
          case 'add':
            return binary(a, b, out, (x, y) => x + y);
          case 'subtract':
            return binary(a, b, out, (x, y) => x - y);
          case 'multiply':
            return binary(a, b, out, (x, y) => x * y);
          case 'divide':
            return binary(a, b, out, (x, y) => x / y);
          case 'pow':
            return binary(a, b, out, (x, y) => Math.pow(x, y));
        }
        throw new RangeError(`unexpected operator ${o.fn}`);
      }
      case 'FunctionNode': {
        const f = n as unknown as FnNode;
        const out = buffers.get(n)!;
        const s = stateful.get(n);
        if (s !== undefined) {
          if (s.kind === 'lag') {
            // Most recent first: the value k periods ago is the last of the unit's k slots.
            for (let i = 0; i < count; i++) out[i] = state[s.offset + unit(i) * s.width + s.width - 1];
          } else if (s.kind === 'stock') {
            for (let i = 0; i < count; i++) out[i] = state[s.offset + unit(i)];
          } else {
            const x = value(f.args[0]);
            for (let i = 0; i < count; i++) out[i] = state[s.offset + unit(i)] + (typeof x === 'number' ? x : x[i]);
          }
          return out;
        }
        const x = value(f.args[0]);
        switch (f.fn.name) {
          case 'log':
            return unary(x, out, Math.log);
          case 'log1p':
            return unary(x, out, Math.log1p);
          case 'exp':
            return unary(x, out, Math.exp);
          case 'sqrt':
            return unary(x, out, Math.sqrt);
        }
        throw new RangeError(`unexpected function ${f.fn.name}`);
      }
    }
    throw new RangeError(`unexpected node ${n.type}`);
  };

  const bind = (cols: Record<string, Float64Array>, c: number, u: Int32Array | null): void => {
    if (!(Number.isInteger(c) && c >= 0 && c <= units)) throw new RangeError(`count must be in [0, ${units}], got ${c}`);
    if (u !== null && u.length < c) throw new RangeError(`units has length ${u.length}, need ${c}`);
    inputs = cols;
    count = c;
    unitIndex = u;
  };

  /** Arguments of the stateful nodes in the current period, computed before any state moves: [unit index i]. */
  const argValues = order.map(() => new Float64Array(units));

  return {
    names: [...names],
    units,
    row(cols, c, u, out) {
      bind(cols, c, u);
      if (out.length < c * nCols) throw new RangeError(`out has length ${out.length}, need ${c * nCols}`);
      const first = intercept ? 1 : 0;
      if (intercept) for (let i = 0; i < c; i++) out[i * nCols] = 1;
      terms.forEach((t, j) => {
        const v = value(t);
        for (let i = 0; i < c; i++) out[i * nCols + first + j] = typeof v === 'number' ? v : v[i];
      });
    },
    push(cols, c, u) {
      bind(cols, c, u);
      // Arguments are read into copies: an argument's buffer is the node's own, which a later
      // evaluation in this loop could overwrite.
      for (let s = 0; s < order.length; s++) {
        const v = value(order[s].node.args[0]);
        const dst = argValues[s];
        if (typeof v === 'number') dst.fill(v, 0, c);
        else dst.set(v.subarray(0, c));
      }
      for (let s = 0; s < order.length; s++) {
        const { kind, param, offset, width } = order[s];
        const x = argValues[s];
        for (let i = 0; i < c; i++) {
          const xi = x[i];
          const base = offset + unit(i) * width;
          if (kind === 'lag') {
            for (let w = width - 1; w > 0; w--) state[base + w] = state[base + w - 1];
            state[base] = xi;
          } else if (kind === 'stock') state[base] = param * state[base] + xi;
          else state[base] += xi;
        }
      }
    },
    saveState: () => state.slice(),
    restoreState(s) {
      if (s.length !== state.length) throw new RangeError(`state has length ${s.length}, expected ${state.length}`);
      state.set(s);
    },
    reset: () => state.fill(0),
  };
}
