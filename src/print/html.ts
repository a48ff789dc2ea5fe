// Server-rendered print pages. Every interpolated value is HTML-escaped unless it is markup this
// module built itself (SafeHtml), so user data can never become markup by forgetting a call.

export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ENTITIES[ch]!);
}

function render(value: unknown): string {
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  if (value === null || value === undefined || value === false) return '';
  return escapeHtml(String(value));
}

/** A template whose values are escaped (arrays are joined; null, undefined and false print nothing). */
export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let out = strings[0]!;
  values.forEach((value, i) => {
    out += render(value) + strings[i + 1]!;
  });
  return new SafeHtml(out);
}

/** Text with its line breaks kept (notes, interaction content). */
export function multiline(text: string | null | undefined): SafeHtml {
  return new SafeHtml(escapeHtml(text ?? '').replace(/\r?\n/g, '<br>'));
}

/** A table whose header repeats on every printed page. */
export function table(
  headers: string[],
  rows: unknown[][],
  options: { empty?: string; numeric?: number[]; nowrap?: number[] } = {},
): SafeHtml {
  if (rows.length === 0) return html`<p class="empty">${options.empty ?? '无'}</p>`;
  const numeric = new Set(options.numeric ?? []);
  const nowrap = new Set(options.nowrap ?? []);
  const num = (i: number) => (numeric.has(i) ? new SafeHtml(' class="num"') : '');
  const cls = (i: number) => (numeric.has(i) ? num(i) : nowrap.has(i) ? new SafeHtml(' class="nowrap"') : '');
  return html`<table>
<thead><tr>${headers.map((h, i) => html`<th${num(i)}>${h}</th>`)}</tr></thead>
<tbody>${rows.map((row) => html`<tr>${row.map((cell, i) => html`<td${cls(i)}>${cell}</td>`)}</tr>\n`)}</tbody>
</table>`;
}

/** Label / value pairs, two per row. */
export function fieldList(fields: [string, unknown][]): SafeHtml {
  return html`<dl class="fields">${fields.map(([label, value]) => html`<div><dt>${label}</dt><dd>${value}</dd></div>`)}</dl>`;
}

// A4 portrait; each major section starts on a new page; table headers repeat; nothing but the
// document (no navigation, no buttons). Generic CJK-capable fonts only: nothing is loaded.
const CSS = `
@page { size: A4; margin: 16mm 14mm 18mm; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0 auto; max-width: 190mm; padding: 8mm 0; color: #111; font-size: 10.5pt; line-height: 1.45;
  font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei",
    "WenQuanYi Micro Hei", "Noto Sans SC", "SimSun", sans-serif; }
h1 { font-size: 18pt; margin: 0 0 2mm; }
h2 { font-size: 14pt; margin: 0 0 3mm; padding-bottom: 1mm; border-bottom: 1.5pt solid #333; }
h3 { font-size: 11.5pt; margin: 5mm 0 2mm; break-after: avoid; }
h4 { font-size: 10.5pt; margin: 3mm 0 1mm; break-after: avoid; }
.meta { color: #555; font-size: 9pt; margin: 0 0 5mm; }
.notice { border: 1pt solid #999; background: #f3f3f3; padding: 2mm 3mm; margin: 0 0 4mm; }
section.major { margin-bottom: 8mm; }
section.major + section.major { break-before: page; }
@media screen { section.major + section.major { border-top: 1pt dashed #bbb; padding-top: 6mm; } }
.record { break-inside: avoid-page; margin-bottom: 5mm; }
table { width: 100%; border-collapse: collapse; margin: 1mm 0 3mm; font-size: 9.5pt; }
thead { display: table-header-group; }
tfoot { display: table-footer-group; }
tr { break-inside: avoid; }
th, td { border: 0.6pt solid #777; padding: 1mm 1.5mm; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
th { background: #e8e8e8; font-weight: bold; }
td.num, th.num { text-align: right; white-space: nowrap; }
td.nowrap { white-space: nowrap; }
dl.fields { display: grid; grid-template-columns: 1fr 1fr; column-gap: 6mm; margin: 0; }
dl.fields div { display: flex; border-bottom: 0.5pt solid #ccc; padding: 1mm 0; break-inside: avoid; }
dt { flex: 0 0 24mm; color: #444; }
dd { margin: 0; overflow-wrap: anywhere; }
.totals { margin: 1mm 0 3mm; }
.totals span { margin-right: 6mm; }
.empty { color: #666; margin: 1mm 0 3mm; }
`;

export interface PageMeta {
  title: string;
  /** The line under the title: who printed, when, in which time zone. */
  byline: string;
  /** Wide tables (a list's twelve columns) print on landscape A4. */
  landscape?: boolean;
}

const LANDSCAPE_CSS = `
@page { size: A4 landscape; }
body { max-width: 277mm; }
`;

/** A whole self-contained document. */
export function page(meta: PageMeta, body: SafeHtml): string {
  return html`<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${meta.title}</title>
<style>${new SafeHtml(meta.landscape ? CSS + LANDSCAPE_CSS : CSS)}</style>
</head>
<body>
<h1>${meta.title}</h1>
<p class="meta">${meta.byline}</p>
${body}
</body>
</html>
`.value;
}
