// The two-class truth of the class benchmarks: 2 states, customers of class 2 (about 35%, more
// likely at higher z) complain more readily in both states, their complaint propensity rises
// much more with the stock of interventions (+0.8 vs +0.1 per unit of stock), and interventions
// move them up far less (+0.3 vs +1.5 on the 1 -> 2 transition logit).
export const CLASS_SPEC = {
  nStates: 2,
  voiceLabels: ['complaint', 'compliment', 'neutral', 'silent'],
  referenceVoice: 'silent',
  formulas: { initial: '~ 1', transition: '~ lag(intervention)', emission: '~ stock(intervention, 0.8)' },
  transitionType: 'multinomial',
  sharedSlopes: false,
  classes: { count: 2, formula: '~ z', specific: ['initial', 'transition', 'emission'] },
};

const S = 'stock(intervention, 0.8)';
const L = 'lag(intervention)';
const perClass = [
  {
    'initial[2]:(Intercept)': 0.5,
    'transition[1->2]:(Intercept)': -2.0,
    [`transition[1->2]:${L}`]: 1.5,
    'transition[2->1]:(Intercept)': -2.5,
    [`transition[2->1]:${L}`]: -0.5,
    'emission[1]:complaint:(Intercept)': -0.5,
    [`emission[1]:complaint:${S}`]: 0.1,
    'emission[1]:compliment:(Intercept)': -3.0,
    [`emission[1]:compliment:${S}`]: 0,
    'emission[1]:neutral:(Intercept)': -1.0,
    [`emission[1]:neutral:${S}`]: 0,
    'emission[2]:complaint:(Intercept)': -3.0,
    [`emission[2]:complaint:${S}`]: 0.1,
    'emission[2]:compliment:(Intercept)': -1.0,
    [`emission[2]:compliment:${S}`]: 0,
    'emission[2]:neutral:(Intercept)': -1.0,
    [`emission[2]:neutral:${S}`]: 0,
  },
  {
    'initial[2]:(Intercept)': -0.5,
    'transition[1->2]:(Intercept)': -2.0,
    [`transition[1->2]:${L}`]: 0.3,
    'transition[2->1]:(Intercept)': -2.0,
    [`transition[2->1]:${L}`]: 0,
    'emission[1]:complaint:(Intercept)': 0.3,
    [`emission[1]:complaint:${S}`]: 0.8,
    'emission[1]:compliment:(Intercept)': -3.5,
    [`emission[1]:compliment:${S}`]: 0,
    'emission[1]:neutral:(Intercept)': -1.0,
    [`emission[1]:neutral:${S}`]: 0,
    'emission[2]:complaint:(Intercept)': -1.5,
    [`emission[2]:complaint:${S}`]: 0.8,
    'emission[2]:compliment:(Intercept)': -1.5,
    [`emission[2]:compliment:${S}`]: 0,
    'emission[2]:neutral:(Intercept)': -1.0,
    [`emission[2]:neutral:${S}`]: 0,
  },
];

/** Named parameters of the truth (mixture naming: class[c].<one-class name>, membership class[2]:<col>). */
export function classTruthParameters() {
  const names = [];
  const values = [];
  perClass.forEach((p, c) => {
    for (const [n, v] of Object.entries(p)) {
      names.push(`class[${c + 1}].${n}`);
      values.push(v);
    }
  });
  names.push('class[2]:(Intercept)', 'class[2]:z');
  values.push(Math.log(0.35 / 0.65), 0.5);
  return { names, values: Float64Array.from(values) };
}

export const CLASS_POLICY = { afterComplaint: 0.5, otherwise: 0.03 };

/** The customer-level covariate z (standard normal per customer, from its own seed). */
export function customerZ(Rng, customers, seed) {
  const rng = new Rng(seed, 77);
  return Float64Array.from({ length: customers }, () => rng.normal());
}
