/**
 * Charts drawn on the server as SVG: no script, colours from the page's CSS variables and
 * currentColor (public/css/admin.css) so they follow the page's light or dark colours. Each is an
 * image with a name and a one-sentence summary for screen readers; the tables below carry the data.
 */

export interface Bar {
  label: string;
  value: number;
  /** The value as people read it, e.g. "$12.50" or "3 min". */
  text: string;
}

interface ChartProps {
  id: string;
  title: string;
  /** What the chart shows in a sentence (its text alternative). */
  summary: string;
  bars: Bar[];
  /** Formats an axis value. */
  axis: (value: number) => string;
}

/** A round top for the scale: 1, 2 or 5 times a power of ten, at least the largest value. */
function niceMax(max: number) {
  if (max <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(max));
  return ([1, 2, 5, 10].map((m) => m * power).find((m) => m >= max) ?? max);
}

const round = (n: number) => Math.round(n * 10) / 10;

/**
 * The frame shared by both kinds: the accessible image with its title and summary, under a visible
 * caption (hidden from screen readers, which read the image's own name). On a narrow screen the
 * chart keeps a readable size and scrolls sideways, so the box can take keyboard focus.
 */
const Frame = ({ id, title, summary, width, height, children }: { id: string; title: string; summary: string; width: number; height: number; children: unknown }) => (
  <figure class="chart" id={id} tabindex={0}>
    <figcaption aria-hidden="true">{title}</figcaption>
    <svg role="img" aria-labelledby={`${id}-title ${id}-desc`} viewBox={`0 0 ${width} ${height}`} width={width} height={height} preserveAspectRatio="xMinYMin meet">
      <title id={`${id}-title`}>{title}</title>
      <desc id={`${id}-desc`}>{summary}</desc>
      {children}
    </svg>
  </figure>
);

/** Vertical columns in order (days): a scale on the left, the first, middle and last label below. */
export function ColumnChart({ id, title, summary, bars, axis }: ChartProps) {
  const width = 800;
  const height = 220;
  const left = 64;
  const bottom = 24;
  const top = 10;
  const plotH = height - top - bottom;
  const max = niceMax(Math.max(0, ...bars.map((b) => b.value)));
  const step = (width - left - 4) / Math.max(1, bars.length);
  const y = (v: number) => round(top + plotH - (v / max) * plotH);
  const labelled = new Set([0, Math.floor((bars.length - 1) / 2), bars.length - 1]);
  // The middle line only where its label says what it is: counts up to 1 put "1" at the half.
  const lines = [0, max / 2, max].filter((v) => v !== max / 2 || (axis(v) !== axis(0) && axis(v) !== axis(max)));
  return (
    <Frame id={id} title={title} summary={summary} width={width} height={height}>
      {lines.map((v) => (
        <g class="grid">
          <line x1={left} x2={width} y1={y(v)} y2={y(v)} />
          <text x={left - 6} y={y(v) + 4} text-anchor="end">
            {axis(v)}
          </text>
        </g>
      ))}
      {bars.map((b, i) => {
        const x = round(left + i * step + step * 0.15);
        return (
          <g>
            <rect class="bar" x={x} y={y(b.value)} width={round(Math.max(1, step * 0.7))} height={round((b.value / max) * plotH)}>
              <title>{`${b.label}: ${b.text}`}</title>
            </rect>
            {labelled.has(i) && (
              <text class="label" x={round(left + i * step + step / 2)} y={height - 6} text-anchor={i === 0 ? 'start' : i === bars.length - 1 ? 'end' : 'middle'}>
                {b.label}
              </text>
            )}
          </g>
        );
      })}
    </Frame>
  );
}

const short = (label: string, max = 26) => (label.length > max ? `${label.slice(0, max - 1)}…` : label);

/** Horizontal bars, one labelled row each (stores), the value written after the bar. */
export function BarChart({ id, title, summary, bars }: Omit<ChartProps, 'axis'>) {
  const width = 800;
  const row = 24;
  const left = 190;
  const valueRoom = 90;
  const height = Math.max(1, bars.length) * row + 8;
  const max = Math.max(0, ...bars.map((b) => b.value)) || 1;
  return (
    <Frame id={id} title={title} summary={summary} width={width} height={height}>
      {bars.map((b, i) => {
        const w = round(((width - left - valueRoom) * b.value) / max);
        const y = 4 + i * row;
        return (
          <g>
            <text class="label" x={left - 8} y={y + 16} text-anchor="end">
              {short(b.label)}
            </text>
            <rect class="bar" x={left} y={y + 3} width={Math.max(1, w)} height={row - 8}>
              <title>{`${b.label}: ${b.text}`}</title>
            </rect>
            <text x={left + Math.max(1, w) + 6} y={y + 16}>
              {b.text}
            </text>
          </g>
        );
      })}
    </Frame>
  );
}
