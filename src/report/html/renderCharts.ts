import type { ChartFigure } from './chartStyle.js';

/** A chart rendered: its figure and the SVG text (accessible: role img, <title> and <desc>). */
export interface RenderedChart extends ChartFigure {
  svg: string;
}

type VegaModule = typeof import('vega');
type VegaLiteModule = typeof import('vega-lite');

let modules: Promise<[VegaModule, VegaLiteModule]> | undefined;

/** vega and vega-lite are imported on first use, so only commands that draw pay their load time. */
function loadVega(): Promise<[VegaModule, VegaLiteModule]> {
  modules ??= Promise.all([import('vega'), import('vega-lite')]);
  return modules;
}

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * Make vega's SVG self-describing for screen readers: role="img" on the root with aria-labelledby
 * pointing at a <title> (the chart title) and a <desc> (the text description), ids prefixed with
 * the chart name so several charts can share one page.
 */
export function accessibleSvg(svg: string, name: string, title: string, description: string): string {
  const open = svg.indexOf('<svg');
  const end = svg.indexOf('>', open);
  if (open < 0 || end < 0) throw new Error(`vega produced no SVG root for chart ${name}`);
  const tid = `${name}-title`;
  const did = `${name}-desc`;
  const root = svg.slice(open, end).replace(/\s*\/$/, '');
  return (
    `${root} id="${name}-svg" role="img" aria-labelledby="${tid} ${did}">` +
    `<title id="${tid}">${escapeXml(title)}</title><desc id="${did}">${escapeXml(description)}</desc>` +
    svg.slice(end + 1)
  );
}

/** Compile each Vega-Lite spec and render it to SVG with vega's headless view (no browser, no DOM). */
export async function renderCharts(charts: ChartFigure[]): Promise<RenderedChart[]> {
  const [vega, vl] = await loadVega();
  const out: RenderedChart[] = [];
  for (const c of charts) {
    const compiled = vl.compile(c.spec).spec;
    const view = new vega.View(vega.parse(compiled), { renderer: 'none', logLevel: vega.Warn });
    try {
      const svg = await view.toSVG();
      out.push({ ...c, svg: accessibleSvg(svg, c.name, c.title, c.description) });
    } finally {
      view.finalize();
    }
  }
  return out;
}

/** A standalone SVG file (XML declaration first) for --figures. */
export function standaloneSvg(svg: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${svg}\n`;
}
