import type { SavedFit } from '../fitFile.js';
import type { EffectsReport, IntervalBounds } from '../effectsTypes.js';
import { headlineVoices, signed } from '../effectsHeadline.js';
import { describePeriods } from '../periodLength.js';
import { displayCells, displayHeader, tableGroups, type ParameterTable } from '../parameterTable.js';
import type { PanelFigures } from './panelFigures.js';
import type { RenderedChart } from './renderCharts.js';
import { escapeHtml, figureHtml, tableHtml, type PageSection } from './htmlPage.js';

export type ChartsByName = Map<string, RenderedChart>;

function figures(charts: ChartsByName, ...names: string[]): string {
  return names.flatMap((n) => (charts.has(n) ? [figureHtml(charts.get(n)!)] : [])).join('\n');
}

function facts(items: [string, string][]): string {
  return `<dl class="facts">${items.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join('')}</dl>`;
}

const int = (x: number): string => x.toLocaleString('en-US');
const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;

/** The data: customers, periods, voices, interventions; over calendar time when the panel is given. */
export function dataSection(fit: SavedFit, charts: ChartsByName, panelNote?: string): PageSection {
  const d = fit.data;
  const voices = fit.spec.voiceLabels.map((l) => `${l} ${int(d.voiceCounts[l] ?? 0)} (${d.observations ? pct((d.voiceCounts[l] ?? 0) / d.observations) : 'n/a'})`).join(', ');
  const html = [
    facts([
      ['panel', d.source ?? 'not recorded'],
      ['customers', int(d.customers)],
      ['customer-periods', `${int(d.rows)} (${int(d.observations)} with an observed voice)`],
      ['periods', `${d.periods.min} to ${d.periods.max}`],
      ['voices', voices],
      ['interventions', `${int(d.interventions)} (${d.rows ? pct(d.interventions / d.rows) : 'n/a'} of customer-periods)`],
    ]),
    panelNote ? `<p class="note">${escapeHtml(panelNote)}</p>` : '',
    figures(charts, 'voice-shares', 'interventions', 'voice-totals'),
  ];
  return { id: 'data', title: 'The data', html: html.join('\n') };
}

function parameterTableHtml(table: ParameterTable): string {
  const inf = table.hasStdErrors;
  const header = displayHeader(inf);
  const rows: string[] = [];
  for (const g of tableGroups(table)) {
    rows.push(`<tr class="group"><td colspan="${header.length}">${escapeHtml(g.title)}</td></tr>`);
    for (const r of g.rows) rows.push(`<tr>${displayCells(r, inf).map((c, i) => `<td${i ? ' class="num"' : ''}>${escapeHtml(c)}</td>`).join('')}</tr>`);
  }
  const head = `<tr>${header.map((h, i) => `<th scope="col"${i ? ' class="num"' : ''}>${escapeHtml(h)}</th>`).join('')}</tr>`;
  return `<table class="params" id="parameter-table"><thead>${head}</thead><tbody>\n${rows.join('\n')}\n</tbody></table>`;
}

/** The model and its fit: formulas, fit statistics, every start, the parameter table, warnings. */
export function fitSection(fit: SavedFit, table: ParameterTable, charts: ChartsByName, intervalNote: string): PageSection {
  const s = fit.spec;
  const best = fit.starts[fit.bestStart];
  const startRows = fit.starts.map((st) => [
    `${st.index + 1}${st === best ? ' (kept)' : ''}`,
    st.kind,
    Number.isFinite(st.logLik) ? st.logLik.toFixed(3) : 'failed',
    Number.isFinite(st.logLik) && best ? (best.logLik - st.logLik).toFixed(3) : '',
    String(st.iterations),
    st.converged ? 'converged' : st.screened ? 'stopped after screening' : 'not converged',
  ]);
  const html = [
    facts([
      ['states', `${s.nStates} (state 1 = worst relationship)`],
      ['initial state', s.formulas.initial],
      ['transition', `${s.formulas.transition} (${s.transitionType})`],
      ['voice (emission)', `${s.formulas.emission} (${s.sharedSlopes ? 'slopes shared across states' : 'state-specific slopes'}; reference voice ${s.referenceVoice})`],
      ['log-likelihood', fit.logLik.toFixed(4)],
      ['parameters', String(fit.nParams)],
      ['AIC / BIC', `${fit.aic.toFixed(2)} / ${fit.bic.toFixed(2)}`],
      ['estimation', fit.status],
    ]),
    figures(charts, 'start-traces'),
    tableHtml(['start', 'kind', 'log-likelihood', 'below kept', 'iterations', 'status'], startRows, { numericFrom: 2, caption: 'Starts', className: 'starts' }),
    '<h3>Parameters</h3>',
    `<p class="note">${escapeHtml(intervalNote)}</p>`,
    parameterTableHtml(table),
    table.warnings.length ? `<h3>Warnings</h3><ol class="warnings">${table.warnings.map((w) => `<li>${escapeHtml(w)}</li>`).join('')}</ol>` : '',
  ];
  return { id: 'fit', title: 'The model and its fit', html: html.join('\n') };
}

/** The states: transitions without and with an intervention, voice per state, long-run shares. */
export function statesSection(effects: EffectsReport | undefined, charts: ChartsByName, problem?: string): PageSection {
  if (!effects) return { id: 'states', title: 'The states', html: `<p class="note">${escapeHtml(problem ?? 'No state probabilities: the effects report could not be computed.')}</p>` };
  const moveRows = effects.relationship.moves.map((m) => [String(m.state), pct(m.without.up), pct(m.without.stay), pct(m.without.down), pct(m.with.up), pct(m.with.stay), pct(m.with.down)]);
  const html = [
    '<p>Probabilities for a customer in the period after an intervention (or none), other covariates at their sample means.</p>',
    figures(charts, 'transitions'),
    tableHtml(['state', 'up (without)', 'stay (without)', 'down (without)', 'up (with)', 'stay (with)', 'down (with)'], moveRows, { caption: 'Moving up, staying, moving down next period' }),
    figures(charts, 'voice-by-state', 'long-run'),
  ];
  return { id: 'states', title: 'The states', html: html.join('\n') };
}

/** The two channels: the headline, the channels over time, the decomposition at the horizon and in the long run. */
export function channelsSection(effects: EffectsReport | undefined, charts: ChartsByName, problem?: string): PageSection {
  if (!effects) return { id: 'channels', title: 'The two channels', html: `<p class="note">${escapeHtml(problem ?? 'No intervention-effect report.')}</p>` };
  const voices = headlineVoices(effects);
  const horizon = describePeriods(effects.horizon, effects.periodLength);
  const iv = effects.intervals;
  const cell = (x: number, b?: IntervalBounds): string => `${signed(x)}${b && Number.isFinite(b.low) && Number.isFinite(b.high) ? ` [${signed(b.low)}, ${signed(b.high)}]` : ''}`;
  const rows = voices.map((l) => {
    const e = effects.net.effects[l];
    const b = iv?.net.effects[l];
    return [l, effects.net.scenarios.none[l].toFixed(3), cell(e.relationship, b?.relationship), cell(e.propensity, b?.propensity), cell(e.interaction, b?.interaction), cell(e.net, b?.net)];
  });
  const longRun = effects.longRun;
  const longRows = longRun.exists && longRun.effects
    ? voices.map((l) => {
        const e = longRun.effects![l];
        const b = iv?.longRun?.[l];
        return [l, cell(e.relationship, b?.relationship), cell(e.propensity, b?.propensity), cell(e.interaction, b?.interaction), cell(e.net, b?.net)];
      })
    : [];
  const html = [
    `<p>A customer who complained in period 0, with one intervention in period 0 versus none, followed for ${escapeHtml(horizon)} (exact propagation of the state distribution; start: the state mix of complaining customers). ` +
      `${iv ? `Intervals: ${Math.round(iv.level * 100)}% (${iv.method === 'bootstrap' ? `bootstrap percentiles over ${iv.replicates ?? 'the'} replicates` : `delta method, ${escapeHtml(iv.covariance)} covariance`}).` : 'No intervals: the fit has no covariance.'}</p>`,
    `<div class="headline" id="channels-headline">${effects.summary.map((s) => `<p>${escapeHtml(s)}</p>`).join('')}</div>`,
    figures(charts, 'channels-per-period', 'channels-cumulative'),
    tableHtml(['voice', 'no intervention', 'relationship', 'propensity', 'interaction', 'net'], rows, { caption: `Expected counts over the next ${horizon} and the change an intervention brings${iv ? ' [95% interval]' : ''}` }),
    longRows.length
      ? tableHtml(['voice', 'relationship', 'propensity', 'interaction', 'net'], longRows, { caption: `Long run: the change summed over every later period${iv ? ' [95% interval]' : ''}` })
      : `<p class="note">No long-run total: ${escapeHtml(longRun.reason ?? 'the effect does not die out')}.</p>`,
    figures(charts, 'channel-totals'),
    effects.warnings.length ? `<h3>About these figures</h3><ol class="warnings">${effects.warnings.map((w) => `<li>${escapeHtml(w)}</li>`).join('')}</ol>` : '',
    iv?.notes.length ? `<ol class="warnings">${iv.notes.map((w) => `<li>${escapeHtml(w)}</li>`).join('')}</ol>` : '',
  ];
  return { id: 'channels', title: 'The two channels', html: html.join('\n') };
}

/** With the panel: posterior state shares over calendar time and three customers' decoded paths. */
export function panelSection(figs: PanelFigures | undefined, charts: ChartsByName): PageSection {
  if (!figs) {
    return { id: 'customers', title: 'Customers over time', html: '<p class="note">Give the panel (squeaky report FIT.json PANEL.csv) to see the share of customers in each state over calendar time and decoded customer trajectories.</p>' };
  }
  const who = figs.trajectories.map((t) => `${t.customer} (${t.role}: ${t.complaints} complaints, ${t.interventions} interventions)`).join('; ');
  const html = [
    figures(charts, 'state-shares'),
    '<h3>Decoded trajectories</h3>',
    `<p>Most likely state path (solid steps; dashed: posterior mean state) of ${escapeHtml(who)}. Complaints and compliments are marked above the path, firm interventions as orange ticks below it.</p>`,
    figures(charts, ...figs.trajectories.map((_, i) => `trajectory-${i + 1}`)),
  ];
  return { id: 'customers', title: 'Customers over time', html: html.join('\n') };
}
