import type { RenderedChart } from './renderCharts.js';

/** One section of the report page. */
export interface PageSection {
  id: string;
  title: string;
  /** Inner HTML (already escaped). */
  html: string;
}

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** A chart as a figure: the inline SVG, a caption, and the description linked for assistive technology. */
export function figureHtml(c: RenderedChart): string {
  return `<figure class="chart" id="fig-${c.name}" data-chart="${c.name}" aria-describedby="${c.name}-caption">${c.svg}<figcaption id="${c.name}-caption">${escapeHtml(c.description)}</figcaption></figure>`;
}

/** A small table: header cells and rows of cells (escaped here); numeric columns right-aligned. */
export function tableHtml(header: string[], rows: string[][], options: { numericFrom?: number; caption?: string; className?: string } = {}): string {
  const from = options.numericFrom ?? 1;
  const cls = (i: number): string => (i >= from ? ' class="num"' : '');
  const head = `<tr>${header.map((h, i) => `<th scope="col"${cls(i)}>${escapeHtml(h)}</th>`).join('')}</tr>`;
  const body = rows.map((r) => `<tr>${r.map((c, i) => `<td${cls(i)}>${escapeHtml(c)}</td>`).join('')}</tr>`).join('\n');
  const caption = options.caption ? `<caption>${escapeHtml(options.caption)}</caption>` : '';
  return `<div class="table-wrap"><table${options.className ? ` class="${options.className}"` : ''}>${caption}<thead>${head}</thead><tbody>\n${body}\n</tbody></table></div>`;
}

const STYLE = `
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { font: 15px/1.5 Helvetica, Arial, sans-serif; color: #1b1b1b; background: #fff; margin: 0; }
main { max-width: 1000px; margin: 0 auto; padding: 24px 28px 60px; }
header h1 { font-size: 26px; margin: 0 0 4px; }
header .meta { color: #555; margin: 0 0 12px; }
.headline { border-left: 5px solid #1f4e79; background: #f3f6fa; padding: 12px 16px; margin: 16px 0; font-size: 17px; }
.headline p { margin: 4px 0; }
nav ul { list-style: none; padding: 0; margin: 8px 0 24px; display: flex; flex-wrap: wrap; gap: 6px 18px; }
nav a { color: #1f4e79; }
section { border-top: 1px solid #ddd; padding-top: 12px; margin-top: 28px; }
h2 { font-size: 21px; margin: 6px 0 10px; }
h3 { font-size: 16px; margin: 18px 0 6px; }
figure.chart { margin: 14px 0 22px; break-inside: avoid; page-break-inside: avoid; }
figure.chart svg { max-width: 100%; height: auto; display: block; }
figcaption { color: #555; font-size: 13px; margin-top: 4px; }
div.table-wrap { overflow-x: auto; max-width: 100%; }
table { border-collapse: collapse; margin: 8px 0 16px; font-size: 13.5px; }
caption { text-align: left; font-weight: bold; padding: 4px 0; }
th, td { padding: 3px 10px; border-bottom: 1px solid #e5e5e5; text-align: left; vertical-align: top; }
th { border-bottom: 2px solid #bbb; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.group td { font-weight: bold; background: #f7f7f7; padding-top: 8px; }
.params td:first-child { padding-left: 22px; }
.params tr.group td:first-child { padding-left: 10px; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 8px 0 16px; }
dl.facts dt { color: #555; }
dl.facts dd { margin: 0; }
ol.warnings li { margin: 3px 0; }
.note { color: #555; font-style: italic; }
code { font-family: Menlo, Consolas, monospace; font-size: 13px; background: #f4f4f4; padding: 0 3px; }
footer { color: #777; font-size: 12.5px; border-top: 1px solid #ddd; margin-top: 40px; padding-top: 8px; }
@media print {
  body { font-size: 11pt; }
  main { max-width: none; padding: 0; }
  nav { display: none; }
  section { break-before: auto; }
  h2, h3 { break-after: avoid; page-break-after: avoid; }
  table, tr { break-inside: avoid; page-break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
}
`;

/**
 * The whole page: one self-contained HTML document. Styles are inline, charts are inline SVG, and
 * there are no scripts, links or images to fetch, so the page opens the same from a file:// URL,
 * an e-mail attachment or a web server, offline.
 */
export function htmlPage(p: { title: string; meta: string; headline: string[]; sections: PageSection[]; footer: string }): string {
  const nav = p.sections.map((s) => `<li><a href="#${s.id}">${escapeHtml(s.title)}</a></li>`).join('');
  const headline = p.headline.length ? `<div class="headline" id="headline" role="note">${p.headline.map((h) => `<p>${escapeHtml(h)}</p>`).join('')}</div>` : '';
  const sections = p.sections.map((s) => `<section id="${s.id}" aria-labelledby="${s.id}-h">\n<h2 id="${s.id}-h">${escapeHtml(s.title)}</h2>\n${s.html}\n</section>`).join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${escapeHtml(p.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<header>
<h1>${escapeHtml(p.title)}</h1>
<p class="meta">${escapeHtml(p.meta)}</p>
${headline}
<nav aria-label="sections"><ul>${nav}</ul></nav>
</header>
${sections}
<footer>${escapeHtml(p.footer)}</footer>
</main>
</body>
</html>
`;
}
