import { useId } from 'react';

export interface Bar {
  label: string;
  value: number;
  /** The comparison figure (last year's Week), drawn as a thinner, lighter bar under the main one. */
  compare?: number | null;
}

/**
 * A horizontal bar chart rendered as SVG on the server: works without JavaScript, prints, scales
 * to the column (360 px phones included) and names itself to screen readers (<title>, <desc>).
 * Each bar has its label above it and its value at its end; the page shows the same figures in a
 * data table beside it. `format` writes a value (numbers, percentages).
 */
export function BarChart({
  title,
  desc,
  bars,
  format,
  compareLabel,
}: {
  title: string;
  desc: string;
  bars: Bar[];
  format: (n: number) => string;
  compareLabel?: string;
}) {
  const id = useId();
  const width = 320;
  const labelW = width - 8;
  const withCompare = bars.some((b) => b.compare != null);
  const row = withCompare ? 46 : 34;
  const height = Math.max(row * bars.length + 8, 24);
  const max = Math.max(1, ...bars.map((b) => Math.max(b.value, b.compare ?? 0)));
  const barMax = width - 70; // room for the value text after the longest bar
  return (
    <svg
      className="stat-chart"
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-labelledby={`${id}-t ${id}-d`}
      preserveAspectRatio="xMinYMin meet"
    >
      <title id={`${id}-t`}>{title}</title>
      <desc id={`${id}-d`}>{desc}</desc>
      {bars.map((b, i) => {
        const y = 4 + i * row;
        const w = (b.value / max) * barMax;
        const cw = b.compare != null ? (b.compare / max) * barMax : 0;
        return (
          <g key={i}>
            <text y={y + 11} className="stat-label">
              {truncate(b.label, labelW)}
            </text>
            <rect y={y + 15} width={round1(Math.max(w, 1))} height={12} className="stat-bar" />
            <text x={round1(Math.max(w, 1) + 4)} y={y + 25} className="stat-value">
              {format(b.value)}
            </text>
            {b.compare != null ? (
              <>
                <rect x={0} y={y + 30} width={Math.max(cw, 1)} height={6} className="stat-bar-compare" />
                <text x={Math.max(cw, 1) + 4} y={y + 37} className="stat-value-compare">
                  {compareLabel ? `${compareLabel}: ` : ''}
                  {format(b.compare)}
                </text>
              </>
            ) : null}
          </g>
        );
      })}
    </svg>
  );
}

/** One decimal is more than a pixel's precision (and keeps the markup short). */
const round1 = (n: number) => Math.round(n * 10) / 10;

/** Keeps a label within the chart's width (about 6 px per character at the label size); the table has the full name. */
function truncate(s: string, width: number): string {
  const max = Math.floor(width / 6);
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}
