import { describe, expect, it } from 'vitest';
import { buildReport } from '../../../src/report/html/buildReport.js';
import { accessibleSvg, renderCharts } from '../../../src/report/html/renderCharts.js';
import { voiceTotalsChart } from '../../../src/report/html/dataCharts.js';
import { escapeHtml } from '../../../src/report/html/htmlPage.js';
import { pickTrajectoryCustomers } from '../../../src/report/html/panelFigures.js';
import { computeEffects } from '../../../src/report/computeEffects.js';
import { fixedFit, smallFit } from './fixtures.js';

/** Every src= and href= value of the page. */
function links(html: string): string[] {
  return [...html.matchAll(/\s(?:src|href|xlink:href)\s*=\s*["']([^"']*)["']/gi)].map((m) => m[1]);
}

/** The page's text without namespace declarations (xmlns="http://www.w3.org/2000/svg" names a namespace; nothing fetches it). */
function withoutNamespaces(html: string): string {
  return html.replace(/\sxmlns(:\w+)?="[^"]*"/g, '');
}

describe('the report page', async () => {
  const { fit, panel } = smallFit();
  // The most complaining customer is drawn: give it an id full of markup.
  panel.customers[pickTrajectoryCustomers(panel)[0].index] = 'c<b>&"1';
  const report = await buildReport(fit, { panel, periodLength: { spec: 'day', hours: 24 }, fitFile: 'fit.json' });
  const html = report.html;

  it('has every section, each chart as inline SVG in its figure, in page order', () => {
    for (const id of ['data', 'fit', 'states', 'channels', 'customers']) {
      expect(html, id).toContain(`<section id="${id}"`);
      expect(html, id).toContain(`<a href="#${id}">`);
    }
    expect(report.sections).toEqual(['data', 'fit', 'states', 'channels', 'customers']);
    expect(report.charts.length).toBe(13);
    let last = -1;
    for (const c of report.charts) {
      const at = html.indexOf(`<figure class="chart" id="fig-${c.name}"`);
      expect(at, c.name).toBeGreaterThan(last);
      last = at;
      expect(html.slice(at, at + 400), c.name).toContain(`<svg`);
    }
    expect(html).toContain('id="parameter-table"');
    expect((html.match(/<tr><td>/g) ?? []).length).toBeGreaterThanOrEqual(fit.nParams);
  });

  it('fetches nothing: no script, stylesheet link, image, external URL or CSS url()', () => {
    expect(links(html).length).toBeGreaterThan(0);
    for (const l of links(html)) expect(l, l).toMatch(/^#[\w-]+$/);
    expect(html).not.toMatch(/<script|<link|<img|<iframe|<object|@import/i);
    // url() only for references inside the page (gradients, clip paths).
    for (const m of html.matchAll(/url\(([^)]*)\)/gi)) expect(m[1]).toMatch(/^#[\w-]+$/);
    expect(withoutNamespaces(html)).not.toMatch(/https?:|\/\/[a-z]/i);
    expect(html).toContain("default-src 'none'");
  });

  it('shows the headline sentences of the effects report and escapes every text it prints', () => {
    const effects = computeEffects(fit);
    expect(report.headline).toEqual(effects.summary);
    const head = html.match(/<div class="headline" id="headline" role="note">(.*?)<\/div>/s)![1];
    expect([...head.matchAll(/<p>(.*?)<\/p>/g)].map((m) => m[1])).toEqual(effects.summary.map(escapeHtml));
    expect(html).not.toContain('c<b>&"1');
    expect(html).toContain(escapeHtml('c<b>&"1'));
  });

  it('with a covariance: standard errors and intervals in the table, interval bands on the channels over time', () => {
    expect(fit.covariance).toBeDefined();
    expect(html).toContain('<th scope="col" class="num">std. error</th>');
    expect(html).toContain('<th scope="col" class="num">95% interval</th>');
    expect(html).toContain(`Estimates with ${fit.covariance!.method} standard errors`);
    expect(html).toMatch(/Intervals: 95% \(delta method/);
    const cum = report.charts.find((c) => c.name === 'channels-cumulative')!;
    expect(JSON.stringify(cum.spec)).toContain('"type":"area"');
    expect(cum.svg).toContain('mark-area');
  });

  it('labels time axes with the period length and describes every chart for screen readers', () => {
    expect(html).toContain('period (1 period = day)');
    for (const c of report.charts) {
      expect(c.svg).toMatch(new RegExp(`^<svg[^>]* role="img" aria-labelledby="${c.name}-title ${c.name}-desc">`));
      expect(c.svg).toContain(`<desc id="${c.name}-desc">${escapeHtml(c.description).replace(/&#39;/g, "'")}</desc>`);
      expect(html).toContain(`aria-describedby="${c.name}-caption"`);
    }
  });

  it('without the panel: the fit alone, and a note where the panel figures would be', async () => {
    const r = await buildReport(fixedFit());
    expect(r.sections).toEqual(['data', 'fit', 'states', 'channels', 'customers']);
    expect(r.charts.map((c) => c.name)).toEqual(['voice-totals', 'start-traces', 'transitions', 'voice-by-state', 'long-run', 'channels-per-period', 'channels-cumulative', 'channel-totals']);
    expect(r.html).toContain('Give the panel');
    // The fit's warning is shown as text, not markup.
    expect(r.html).toContain('a warning &lt;with&gt; markup &amp; an ampersand');
    expect(r.html).toContain('Estimates only');
  });

  it('a fit whose effects report cannot be computed: the page says why instead of the state and channel charts', async () => {
    const f = fixedFit();
    f.spec = { ...f.spec, formulas: { ...f.spec.formulas, emission: '~ scale(x)' } };
    const r = await buildReport(f);
    expect(r.sections).toEqual(['data', 'fit', 'states', 'channels', 'customers']);
    expect(r.charts.map((c) => c.name)).toEqual(['voice-totals', 'start-traces']);
    expect(r.headline).toEqual([]);
    expect(r.html).toMatch(/<section id="states"[^]*No intervention-effect report: [^<]*scale\(\)/);
  });

  it('notes a panel that is not the one fitted', async () => {
    const other = smallFit(30, 12, 9).panel;
    const r = await buildReport(fit, { panel: other });
    expect(r.html).toContain('is not the one the model was fitted to');
    expect(html).not.toContain('is not the one the model was fitted to');
  });
});

describe('renderCharts', () => {
  it('renders a Vega-Lite spec to SVG in Node with marks, a title and a description', async () => {
    const f = fixedFit();
    const [c] = await renderCharts([voiceTotalsChart(f.data, f.spec.voiceLabels)]);
    expect(c.svg.startsWith('<svg')).toBe(true);
    expect(c.svg).toContain('<title id="voice-totals-title">Observed voices</title>');
    // One bar per voice, with the tallest (silent, 600 of 990) the tallest path.
    const bars = [...c.svg.matchAll(/<g class="mark-rect role-mark[^"]*"[^>]*>(.*?)<\/g>/gs)][0][1];
    const heights = [...bars.matchAll(/d="M[\d.]+,[\d.]+h[\d.]+v([\d.]+)/g)].map((m) => Number(m[1]));
    expect(heights).toHaveLength(4);
    expect(Math.max(...heights)).toBe(heights[3]);
    expect(heights.every((h) => h > 0)).toBe(true);
  });

  it('accessibleSvg keeps the root attributes and escapes title and description', () => {
    const out = accessibleSvg('<svg width="3" height="4"><rect/></svg>', 'x', 'a < b', 'c & "d"');
    expect(out).toBe('<svg width="3" height="4" id="x-svg" role="img" aria-labelledby="x-title x-desc"><title id="x-title">a &lt; b</title><desc id="x-desc">c &amp; &quot;d&quot;</desc><rect/></svg>');
  });
});
