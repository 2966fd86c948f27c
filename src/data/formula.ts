/**
 * Covariate formulas to designs (DESIGN.md, Formulas).
 *
 *   ~ term + term + ...
 *
 * Each term is an arithmetic expression whose value is one design column: panel column names,
 * numbers, + - * / ^, unary minus, and the functions
 *   log(x), log1p(x), exp(x), sqrt(x)             elementwise
 *   lag(x, k = 1)                                  x k periods earlier, within the customer
 *   stock(x, decay)                                sum over earlier periods of decay^(age-1) * x,
 *                                                  age = periods since (so the current period is
 *                                                  not included), within the customer
 *   cumsum(x)                                      running sum including the current period,
 *                                                  within the customer
 *   scale(x)                                       (x - mean) / sd over all rows (sd with n - 1)
 * lag, stock and cumsum are 0 before the customer's first period. An intercept column
 * '(Intercept)' is implied; `- 1` or `+ 0` removes it, `+ 1` puts it back. A top-level `+` or `-`
 * separates terms, so a difference of columns is written in parentheses: `(x - y)`. Nothing may
 * look into a customer's future: lag needs k >= 1 and no lead-like function exists.
 *
 * mathjs only parses; the node tree is walked here and evaluated with whole-column typed arrays.
 */
import { createRequire } from 'node:module';
import type { MathNode } from 'mathjs';
import { FormulaError } from '../errors.js';
import type { Design } from './design.js';
import { columnRecord, type Panel } from './panel.js';
import { didYouMean } from './suggest.js';
import { cumsumWithin, lagWithin, stockWithin } from './withinCustomer.js';
import { createFormulaStepper, type FormulaStepper } from './formulaStepper.js';

// The full mathjs bundle takes most of a second to load; its number-only build has the same
// parser at half the cost, and loading it on first use spares commands that never parse a formula.
const requireCjs = createRequire(import.meta.url);
let mathParse: ((expr: string) => MathNode) | undefined;
function parse(expr: string): MathNode {
  mathParse ??= (requireCjs('mathjs/number') as { parse: (expr: string) => MathNode }).parse;
  return mathParse(expr);
}

export interface CompiledFormula {
  /** As given. */
  formula: string;
  /** Column names: '(Intercept)' first when present, then each term's text normalised by mathjs. */
  names: string[];
  intercept: boolean;
  /** Panel columns the formula reads. */
  variables: string[];
  /**
   * One design row per panel row; throws FormulaError on non-finite values (naming term, customer,
   * period). `current`, when given, replaces the named columns where a term reads their current
   * period's value (not inside lag() or stock(), which read earlier periods of the panel's own
   * columns): the selection design's rows for each possible voice of a period whose voice is missing.
   */
  evaluate(panel: Panel, current?: Record<string, Float64Array>): Design;
  /**
   * The terms that read the current period's value of any of `columns` (outside lag() and stock()),
   * with their position in the formula and whether they do it through cumsum() or scale().
   */
  currentReads(columns: readonly string[]): { term: string; position: number; column: string; via: 'cumsum' | 'scale' | null }[];
  /** A period-by-period evaluator over `units` histories (see formulaStepper.ts); FormulaError for scale(). */
  stepper(units: number): FormulaStepper;
}

/** Functions a term may call, with their argument counts. */
const FUNCTIONS: Record<string, { min: number; max: number; usage: string }> = {
  log: { min: 1, max: 1, usage: 'log(x)' },
  log1p: { min: 1, max: 1, usage: 'log1p(x)' },
  exp: { min: 1, max: 1, usage: 'exp(x)' },
  sqrt: { min: 1, max: 1, usage: 'sqrt(x)' },
  lag: { min: 1, max: 2, usage: 'lag(x) or lag(x, k) with integer k >= 1' },
  stock: { min: 2, max: 2, usage: 'stock(x, decay) with 0 <= decay <= 1' },
  cumsum: { min: 1, max: 1, usage: 'cumsum(x)' },
  scale: { min: 1, max: 1, usage: 'scale(x)' },
};

/** Names that would read a customer's future periods. */
const FUTURE_FUNCTIONS = new Set(['lead', 'future', 'next', 'forward', 'ahead', 'shift', 'diff', 'fdiff', 'lead1']);

const OPERATORS: Record<string, string> = {
  add: '+',
  subtract: '-',
  multiply: '*',
  divide: '/',
  pow: '^',
  unaryMinus: '-',
  unaryPlus: '+',
};

// Narrow views of the mathjs node shapes this module walks.
interface OpNode { type: 'OperatorNode'; fn: string; op: string; args: MathNode[] }
interface FnNode { type: 'FunctionNode'; fn: MathNode; args: MathNode[] }
interface SymNode { type: 'SymbolNode'; name: string }
interface ConstNode { type: 'ConstantNode'; value: unknown }
interface ParenNode { type: 'ParenthesisNode'; content: MathNode }

interface Term {
  name: string;
  node: MathNode;
  /** 0-based position of the term in the formula. */
  position: number;
}

type Value = Float64Array | number;

/** Positions of the identifier and number tokens of `src` (offset added), in source order. */
function tokenize(src: string, offset: number): { text: string; pos: number; isNumber: boolean }[] {
  const out: { text: string; pos: number; isNumber: boolean }[] = [];
  const re = /0[xob][0-9a-f]+|(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?|[A-Za-z_$\u00c0-\uffff][A-Za-z0-9_$\u00c0-\uffff]*/gi;
  for (let m = re.exec(src); m !== null; m = re.exec(src)) {
    out.push({ text: m[0], pos: m.index + offset, isNumber: /^[\d.]/.test(m[0]) });
  }
  return out;
}

/**
 * Map each symbol, function and constant node to its position in the formula. A pre-order walk of
 * an infix expression meets these tokens in source order, so a moving cursor pairs them up.
 */
function locate(root: MathNode, src: string, offset: number): Map<MathNode, number> {
  const tokens = tokenize(src, offset);
  const where = new Map<MathNode, number>();
  let cursor = 0;
  const take = (pred: (t: { text: string; isNumber: boolean }) => boolean): number | undefined => {
    for (let i = cursor; i < tokens.length; i++) {
      if (pred(tokens[i])) {
        cursor = i + 1;
        return tokens[i].pos;
      }
    }
    return undefined;
  };
  const visit = (n: MathNode): void => {
    switch (n.type) {
      case 'SymbolNode': {
        const p = take((t) => !t.isNumber && t.text === (n as unknown as SymNode).name);
        if (p !== undefined) where.set(n, p);
        return;
      }
      case 'ConstantNode': {
        const p = take((t) => t.isNumber || ['true', 'false', 'null', 'undefined', 'Infinity', 'NaN'].includes(t.text));
        if (p !== undefined) where.set(n, p);
        return;
      }
      case 'FunctionNode': {
        const f = n as unknown as FnNode;
        if (f.fn.type === 'SymbolNode') {
          const p = take((t) => !t.isNumber && t.text === (f.fn as unknown as SymNode).name);
          if (p !== undefined) {
            where.set(n, p);
            where.set(f.fn, p);
          }
        }
        for (const a of f.args) visit(a);
        return;
      }
      default:
        n.forEach((child) => visit(child));
    }
  };
  visit(root);
  return where;
}

/** First known position inside a subtree (the term's or argument's first token). */
function firstPosition(n: MathNode, where: Map<MathNode, number>): number | undefined {
  let best = where.get(n);
  n.traverse((c) => {
    const p = where.get(c);
    if (p !== undefined && (best === undefined || p < best)) best = p;
  });
  return best;
}

function isConstNumber(n: MathNode, v: number): boolean {
  return n.type === 'ConstantNode' && (n as unknown as ConstNode).value === v;
}

/** Compile a formula against the names of the panel's numeric columns. Throws FormulaError. */
export function compileFormula(formula: string, columns: string[]): CompiledFormula {
  const fail = (reason: string, position?: number): never => {
    throw new FormulaError(formula, reason, position);
  };
  const tilde = formula.indexOf('~');
  if (tilde < 0) fail("a formula starts with '~', e.g. '~ lag(intervention) + 1'", 0);
  if (formula.slice(0, tilde).trim() !== '') {
    fail("no left-hand side: the response is always the voice column; start the formula with '~'", 0);
  }
  const offset = tilde + 1;
  const rhs = formula.slice(offset);
  const columnSet = new Set(columns);

  let intercept = true;
  const terms: Term[] = [];
  let where = new Map<MathNode, number>();
  const variables: string[] = [];

  if (rhs.trim() !== '') {
    let root: MathNode;
    try {
      root = parse(rhs);
    } catch (e) {
      const err = e as Error & { char?: number };
      const at = typeof err.char === 'number' ? offset + Math.max(0, err.char - 1) : undefined;
      const reason = err.message.replace(/\s*\(char \d+\)\s*$/, '');
      return fail(`cannot parse: ${reason}`, at);
    }
    where = locate(root, rhs, offset);
    const pos = (n: MathNode): number | undefined => {
      const p = firstPosition(n, where);
      // A leading sign is not a token of its own: step back to it.
      if (p !== undefined && n.type === 'OperatorNode' && /^unary/.test((n as unknown as OpNode).fn)) {
        const sign = formula.lastIndexOf((n as unknown as OpNode).op, p);
        if (sign >= offset) return sign;
      }
      return p;
    };

    // Validate a term's expression; collects the columns it reads. Returns whether it reads any.
    const check = (n: MathNode): boolean => {
      switch (n.type) {
        case 'SymbolNode': {
          const name = (n as unknown as SymNode).name;
          if (!columnSet.has(name)) {
            if (Object.hasOwn(FUNCTIONS, name)) fail(`'${name}' is a function: call it as ${FUNCTIONS[name].usage}`, pos(n));
            fail(`unknown column '${name}'${didYouMean(name, columns)}; the panel has: ${columns.join(', ')}`, pos(n));
          }
          if (!variables.includes(name)) variables.push(name);
          return true;
        }
        case 'ConstantNode': {
          const v = (n as unknown as ConstNode).value;
          if (typeof v !== 'number' || !Number.isFinite(v)) fail(`expected a finite number, got ${String(v)}`, pos(n));
          return false;
        }
        case 'ParenthesisNode':
          return check((n as unknown as ParenNode).content);
        case 'OperatorNode': {
          const o = n as unknown as OpNode;
          if (!(o.fn in OPERATORS)) fail(`operator '${o.op}' is not allowed in a term (use + - * / ^)`, pos(n));
          let uses = false;
          for (const a of o.args) uses = check(a) || uses;
          return uses;
        }
        case 'FunctionNode': {
          const f = n as unknown as FnNode;
          if (f.fn.type !== 'SymbolNode') fail('only named functions may be called', pos(n));
          const name = (f.fn as unknown as SymNode).name;
          const at = pos(n);
          if (FUTURE_FUNCTIONS.has(name)) {
            fail(`${name}() would look into a customer's future; terms may use only the current and earlier periods (lag, stock, cumsum)`, at);
          }
          const spec = Object.hasOwn(FUNCTIONS, name) ? FUNCTIONS[name] : undefined;
          if (spec === undefined) {
            return fail(`unknown function '${name}'${didYouMean(name, Object.keys(FUNCTIONS))}; known functions: ${Object.keys(FUNCTIONS).join(', ')}`, at);
          }
          if (f.args.length < spec.min || f.args.length > spec.max) {
            fail(`${name} takes ${spec.min === spec.max ? spec.min : `${spec.min} or ${spec.max}`} argument(s): ${spec.usage}`, at);
          }
          const uses = check(f.args[0]);
          if (['lag', 'stock', 'cumsum', 'scale'].includes(name) && !uses) {
            fail(`${name}() needs an expression over panel columns as its first argument`, pos(f.args[0]) ?? at);
          }
          if (name === 'lag' && f.args.length === 2) {
            const k = constantValue(f.args[1]);
            if (k === undefined || !Number.isInteger(k) || k < 1) {
              fail(
                `lag's k must be a whole number >= 1 (k = 0 is the column itself; k < 0 would look into a customer's future), got ${f.args[1].toString()}`,
                pos(f.args[1]) ?? at,
              );
            }
          }
          if (name === 'stock') {
            const d = constantValue(f.args[1]);
            if (d === undefined || !(d >= 0 && d <= 1)) {
              fail(`stock's decay must be a number in [0, 1], got ${f.args[1].toString()}`, pos(f.args[1]) ?? at);
            }
          }
          return uses;
        }
        default:
          return fail(`${n.type.replace(/Node$/, '').toLowerCase()} expressions are not allowed in a term`, pos(n));
      }
    };

    const addTerm = (n: MathNode): void => {
      const at = pos(n) ?? offset;
      if (n.type === 'ConstantNode') {
        if (isConstNumber(n, 1)) {
          intercept = true;
          return;
        }
        if (isConstNumber(n, 0)) {
          intercept = false;
          return;
        }
        fail(`a constant term must be 1 (intercept) or 0 (no intercept), got ${n.toString()}`, at);
      }
      if (!check(n)) fail(`term '${n.toString()}' uses no panel column`, at);
      const inner = n.type === 'ParenthesisNode' ? (n as unknown as ParenNode).content : n;
      const name = inner.toString();
      if (terms.some((t) => t.name === name)) fail(`term '${name}' appears twice`, at);
      terms.push({ name, node: inner, position: at });
    };

    const removeTerm = (n: MathNode): void => {
      if (isConstNumber(n, 1)) {
        intercept = false;
        return;
      }
      fail(
        `only the intercept can be removed with '- 1'; for a difference of columns write it in parentheses, e.g. (x - ${n.toString()})`,
        pos(n) ?? offset,
      );
    };

    // Top level: terms separated by binary + and -, possibly a leading unary minus.
    const walkTop = (n: MathNode): void => {
      if (n.type === 'OperatorNode') {
        const o = n as unknown as OpNode;
        if (o.fn === 'add' && o.args.length === 2) {
          walkTop(o.args[0]);
          walkTop(o.args[1]);
          return;
        }
        if (o.fn === 'subtract' && o.args.length === 2) {
          walkTop(o.args[0]);
          removeTerm(o.args[1]);
          return;
        }
        if (o.fn === 'unaryMinus' && isConstNumber(o.args[0], 1)) {
          intercept = false;
          return;
        }
      }
      addTerm(n);
    };
    walkTop(root);
  }

  if (!intercept && terms.length === 0) fail('the formula has no columns: with the intercept removed, at least one term must remain', offset);

  const names = [...(intercept ? ['(Intercept)'] : []), ...terms.map((t) => t.name)];

  const evaluate = (panel: Panel, current?: Record<string, Float64Array>): Design => {
    const offsets = panel.offsets;
    const n = offsets[offsets.length - 1];
    for (const v of variables) {
      const col = panel.columns[v];
      if (col === undefined) throw new FormulaError(formula, `the panel has no column '${v}'${didYouMean(v, Object.keys(panel.columns))}`, undefined);
      if (col.length !== n) throw new RangeError(`column '${v}' has ${col.length} rows, the panel ${n}`);
    }
    const nCols = names.length;
    const values = new Float64Array(n * nCols);
    if (intercept) for (let r = 0; r < n; r++) values[r * nCols] = 1;
    terms.forEach((term, j) => {
      const col = intercept ? j + 1 : j;
      const v = evalNode(
        term.node,
        panel,
        n,
        (reason, at) => {
          throw new FormulaError(formula, reason, where.get(at) ?? term.position);
        },
        current,
      );
      if (typeof v === 'number') throw new FormulaError(formula, `term '${term.name}' is constant`, term.position);
      for (let r = 0; r < n; r++) {
        const x = v[r];
        if (!Number.isFinite(x)) {
          const { customer, period } = locateRow(panel, r);
          throw new FormulaError(
            formula,
            `term '${term.name}' is ${x} for customer '${customer}' in period ${period} (panel row ${r + 1}); every design value must be finite`,
            term.position,
          );
        }
        values[r * nCols + col] = x;
      }
    });
    return { names: [...names], values };
  };

  const stepper = (units: number): FormulaStepper =>
    createFormulaStepper(formula, names, intercept, terms.map((t) => t.node), units, constantValue);

  const currentReads = (cols: readonly string[]): ReturnType<CompiledFormula['currentReads']> => {
    const out: ReturnType<CompiledFormula['currentReads']> = [];
    const want = new Set(cols);
    for (const t of terms) {
      const visit = (m: MathNode, via: 'cumsum' | 'scale' | null): void => {
        if (m.type === 'SymbolNode') {
          const name = (m as unknown as SymNode).name;
          if (want.has(name)) out.push({ term: t.name, position: t.position, column: name, via });
          return;
        }
        if (m.type === 'FunctionNode') {
          const f = m as unknown as FnNode;
          const fn = (f.fn as unknown as SymNode).name;
          if (fn === 'lag' || fn === 'stock') return; // earlier periods only
          const inner = fn === 'cumsum' || fn === 'scale' ? fn : via;
          for (const a of f.args) visit(a, inner);
          return;
        }
        m.forEach((c) => visit(c, via));
      };
      visit(t.node, null);
    }
    return out;
  };

  return { formula, names, intercept, variables, evaluate, stepper, currentReads };
}

/** Compile against the panel's numeric columns and evaluate. */
export function buildDesign(panel: Panel, formula: string): Design {
  return compileFormula(formula, Object.keys(panel.columns)).evaluate(panel);
}

/** Whether an expression reads a panel column (function names do not count). */
function readsColumn(m: MathNode): boolean {
  if (m.type === 'SymbolNode') return true;
  if (m.type === 'FunctionNode') return (m as unknown as FnNode).args.some(readsColumn);
  let uses = false;
  m.forEach((c) => {
    uses = uses || readsColumn(c);
  });
  return uses;
}

const EMPTY_PANEL: Panel = { customers: [], offsets: new Int32Array(1), period: new Int32Array(0), voice: new Int32Array(0), voiceLabels: [], columns: columnRecord() };

/** Value of a column-free expression (numbers and arithmetic), or undefined when it reads a column. */
function constantValue(n: MathNode): number | undefined {
  if (readsColumn(n)) return undefined;
  const v = evalNode(n, EMPTY_PANEL, 0, () => undefined as never);
  return typeof v === 'number' ? v : undefined;
}

function locateRow(panel: Panel, row: number): { customer: string; period: number } {
  const o = panel.offsets;
  let lo = 0;
  let hi = o.length - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (o[mid] <= row) lo = mid;
    else hi = mid - 1;
  }
  return { customer: panel.customers[lo], period: panel.period[row] };
}

function unary(v: Value, f: (x: number) => number, n: number): Value {
  if (typeof v === 'number') return f(v);
  const out = new Float64Array(n);
  for (let r = 0; r < n; r++) out[r] = f(v[r]);
  return out;
}

function binary(a: Value, b: Value, f: (x: number, y: number) => number, n: number): Value {
  if (typeof a === 'number' && typeof b === 'number') return f(a, b);
  const out = new Float64Array(n);
  if (typeof a === 'number') for (let r = 0; r < n; r++) out[r] = f(a, (b as Float64Array)[r]);
  else if (typeof b === 'number') for (let r = 0; r < n; r++) out[r] = f(a[r], b);
  else for (let r = 0; r < n; r++) out[r] = f(a[r], b[r]);
  return out;
}

function asColumn(v: Value, n: number): Float64Array {
  return typeof v === 'number' ? new Float64Array(n).fill(v) : v;
}

/** Evaluate a validated node over all rows at once. */
type Problem = (reason: string, node: MathNode) => never;

function evalNode(node: MathNode, panel: Panel, n: number, problem: Problem, current?: Record<string, Float64Array>): Value {
  switch (node.type) {
    case 'ConstantNode':
      return (node as unknown as ConstNode).value as number;
    case 'SymbolNode': {
      const name = (node as unknown as SymNode).name;
      return (current !== undefined && Object.hasOwn(current, name) ? current[name] : undefined) ?? panel.columns[name];
    }
    case 'ParenthesisNode':
      return evalNode((node as unknown as ParenNode).content, panel, n, problem, current);
    case 'OperatorNode': {
      const o = node as unknown as OpNode;
      const a = evalNode(o.args[0], panel, n, problem, current);
      switch (o.fn) {
        case 'unaryMinus':
          return unary(a, (x) => -x, n);
        case 'unaryPlus':
          return a;
      }
      const b = evalNode(o.args[1], panel, n, problem, current);
      switch (o.fn) {
        case 'add':
          return binary(a, b, (x, y) => x + y, n);
        case 'subtract':
          return binary(a, b, (x, y) => x - y, n);
        case 'multiply':
          return binary(a, b, (x, y) => x * y, n);
        case 'divide':
          return binary(a, b, (x, y) => x / y, n);
        case 'pow':
          return binary(a, b, (x, y) => Math.pow(x, y), n);
      }
      throw new RangeError(`unexpected operator ${o.fn}`);
    }
    case 'FunctionNode': {
      const f = node as unknown as FnNode;
      const name = (f.fn as unknown as SymNode).name;
      // lag and stock read earlier periods: the panel's own columns, never `current`
      const x = evalNode(f.args[0], panel, n, problem, name === 'lag' || name === 'stock' ? undefined : current);
      switch (name) {
        case 'log':
          return unary(x, Math.log, n);
        case 'log1p':
          return unary(x, Math.log1p, n);
        case 'exp':
          return unary(x, Math.exp, n);
        case 'sqrt':
          return unary(x, Math.sqrt, n);
        case 'lag': {
          const k = f.args.length > 1 ? (evalNode(f.args[1], panel, n, problem) as number) : 1;
          return lagWithin(panel.offsets, asColumn(x, n), k, new Float64Array(n));
        }
        case 'stock':
          return stockWithin(panel.offsets, asColumn(x, n), evalNode(f.args[1], panel, n, problem) as number, new Float64Array(n));
        case 'cumsum':
          return cumsumWithin(panel.offsets, asColumn(x, n), new Float64Array(n));
        case 'scale': {
          const col = asColumn(x, n);
          let mean = 0;
          for (let r = 0; r < n; r++) mean += col[r];
          mean /= n;
          let ss = 0;
          for (let r = 0; r < n; r++) ss += (col[r] - mean) * (col[r] - mean);
          const sd = Math.sqrt(ss / (n - 1));
          if (!(sd > 0) || !Number.isFinite(sd)) {
            problem(`${node.toString()} needs at least two rows and a non-constant, finite argument (its standard deviation is ${sd})`, node);
          }
          const out = new Float64Array(n);
          for (let r = 0; r < n; r++) out[r] = (col[r] - mean) / sd;
          return out;
        }
      }
      throw new RangeError(`unexpected function ${name}`);
    }
  }
  throw new RangeError(`unexpected node ${node.type}`);
}

/** The formula rules in words, for --help texts of commands that take formulas. */
export const FORMULA_HELP = `Formulas: ~ term + term ... ; each term is one design column: panel column names, numbers,
+ - * / ^, log(x), log1p(x), exp(x), sqrt(x), lag(x, k = 1), stock(x, decay) (sum over earlier
periods of decay^(age-1) * x, age = periods since; the current period is not included),
cumsum(x) (including the current period), scale(x) (standardised over all rows). lag, stock and
cumsum are computed within each customer and are 0 before the customer's first period. An
intercept is implied; '- 1' removes it. Terms are separated by + and -, so write a difference of
columns in parentheses: (x - y). Nothing may look into a customer's future (lag needs k >= 1).`;
