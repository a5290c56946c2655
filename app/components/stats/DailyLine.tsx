import { useId } from 'react';

/**
 * A line chart of one figure over the days of a Week, rendered as SVG on the server, with the
 * previous Week's figure for the same day of its Week as a dashed line. Points carry their value
 * as a <title> (a tooltip, and read by screen readers); the page shows a data table beside it.
 */
export function DailyLine({
  title,
  desc,
  labels,
  values,
  compare,
  format,
}: {
  title: string;
  desc: string;
  /** One label per day (dd/MM). */
  labels: string[];
  values: number[];
  compare?: number[] | null;
  format: (n: number) => string;
}) {
  const id = useId();
  const width = 320;
  const height = 180;
  const left = 40;
  const right = 12;
  const top = 12;
  const bottom = 28;
  const max = niceMax(Math.max(1, ...values, ...(compare ?? [])));
  const n = Math.max(labels.length, 2);
  const x = (i: number) => left + (i * (width - left - right)) / (n - 1);
  const y = (v: number) => top + (1 - v / max) * (height - top - bottom);
  const path = (vs: number[]) => vs.map((v, i) => `${i ? 'L' : 'M'}${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
  return (
    <svg className="stat-chart" viewBox={`0 0 ${width} ${height}`} role="img" aria-labelledby={`${id}-t ${id}-d`}>
      <title id={`${id}-t`}>{title}</title>
      <desc id={`${id}-d`}>{desc}</desc>
      {[0, 0.5, 1].map((f) => (
        <g key={f}>
          <line x1={left} x2={width - right} y1={y(max * f)} y2={y(max * f)} className="stat-grid" />
          <text x={left - 4} y={y(max * f) + 3} className="stat-axis" textAnchor="end">
            {format(max * f)}
          </text>
        </g>
      ))}
      {labels.map((l, i) => (
        <text key={l} x={x(i)} y={height - 10} className="stat-axis" textAnchor="middle">
          {l}
        </text>
      ))}
      {compare?.length ? <path d={path(compare)} className="stat-line-compare" /> : null}
      <path d={path(values)} className="stat-line" />
      {values.map((v, i) => (
        <circle key={i} cx={x(i)} cy={y(v)} r={3.5} className="stat-point">
          <title>{`${labels[i]}: ${format(v)}`}</title>
        </circle>
      ))}
    </svg>
  );
}

/** A round axis maximum at or above `v` (1, 2, 5 × 10ⁿ). */
export function niceMax(v: number): number {
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}
