/**
 * A dependency-free SVG chart: panels of labelled horizontal bars, stacked vertically. The
 * bench writes it next to docs/performance.md, so the picture always matches the tables.
 */

/** One bar. */
export interface Bar {
  label: string;
  value: number;
  /** Drawn in the accent colour (ours). */
  highlight?: boolean;
  /** Text after the bar; default the formatted value. */
  note?: string;
}

/** One panel: a title, a unit and its bars (optionally in labelled groups). */
export interface Panel {
  title: string;
  unit: string;
  groups: Array<{ label?: string; bars: Bar[] }>;
}

const WIDTH = 860;
const LABEL_WIDTH = 290;
/** Room right of the longest bar for its note. */
const NOTE_WIDTH = 190;
const BAR_HEIGHT = 16;
const BAR_GAP = 5;
const GROUP_GAP = 10;
const PANEL_GAP = 26;
const FONT = 'font-family="system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif"';
const COLOURS = { ours: '#2563eb', peer: '#9ca3af', text: '#111827', muted: '#4b5563', grid: '#e5e7eb' };

/**
 * Escapes text for XML content and attributes.
 */
export function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/**
 * Formats a figure for a label: thousands separated, three significant digits below 100.
 */
export function formatFigure(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Math.abs(value) >= 100) return Math.round(value).toLocaleString('en-US');
  return Number(value.toPrecision(3)).toString();
}

function panelSvg(panel: Panel, top: number): { svg: string; height: number } {
  const parts: string[] = [];
  const max = Math.max(...panel.groups.flatMap((g) => g.bars.map((b) => b.value)), 0);
  const plotWidth = WIDTH - LABEL_WIDTH - NOTE_WIDTH;
  let y = top;
  parts.push(
    `<text x="16" y="${y + 14}" ${FONT} font-size="14" font-weight="600" fill="${COLOURS.text}">${escapeXml(panel.title)}</text>`,
  );
  parts.push(
    `<text x="${WIDTH - 16}" y="${y + 14}" ${FONT} font-size="11" text-anchor="end" fill="${COLOURS.muted}">${escapeXml(panel.unit)}</text>`,
  );
  y += 26;
  for (const group of panel.groups) {
    if (group.label) {
      parts.push(
        `<text x="16" y="${y + 11}" ${FONT} font-size="11" font-weight="600" fill="${COLOURS.muted}">${escapeXml(group.label)}</text>`,
      );
      y += 16;
    }
    for (const bar of group.bars) {
      const width = max > 0 ? Math.max(1, (bar.value / max) * plotWidth) : 1;
      const fill = bar.highlight ? COLOURS.ours : COLOURS.peer;
      parts.push(
        `<text x="${LABEL_WIDTH - 8}" y="${y + BAR_HEIGHT - 4}" ${FONT} font-size="11" text-anchor="end" fill="${COLOURS.text}">${escapeXml(bar.label)}</text>`,
      );
      parts.push(
        `<rect x="${LABEL_WIDTH}" y="${y}" width="${width.toFixed(1)}" height="${BAR_HEIGHT}" rx="2" fill="${fill}"/>`,
      );
      parts.push(
        `<text x="${(LABEL_WIDTH + width + 6).toFixed(1)}" y="${y + BAR_HEIGHT - 4}" ${FONT} font-size="11" fill="${COLOURS.text}">${escapeXml(bar.note ?? formatFigure(bar.value))}</text>`,
      );
      y += BAR_HEIGHT + BAR_GAP;
    }
    y += GROUP_GAP;
  }
  return { svg: parts.join('\n'), height: y - top };
}

/**
 * Renders panels into one standalone SVG document.
 */
export function renderChart(chart: { title: string; subtitle: string; panels: Panel[] }): string {
  const body: string[] = [];
  let y = 58;
  for (const panel of chart.panels) {
    body.push(`<line x1="16" y1="${y - 10}" x2="${WIDTH - 16}" y2="${y - 10}" stroke="${COLOURS.grid}"/>`);
    const rendered = panelSvg(panel, y);
    body.push(rendered.svg);
    y += rendered.height + PANEL_GAP;
  }
  const height = y;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-label="${escapeXml(chart.title)}">`,
    `<title>${escapeXml(chart.title)}</title>`,
    `<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>`,
    `<text x="16" y="26" ${FONT} font-size="17" font-weight="700" fill="${COLOURS.text}">${escapeXml(chart.title)}</text>`,
    `<text x="16" y="44" ${FONT} font-size="11" fill="${COLOURS.muted}">${escapeXml(chart.subtitle)}</text>`,
    ...body,
    '</svg>',
    '',
  ].join('\n');
}
