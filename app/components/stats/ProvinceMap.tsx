import { useId } from 'react';

import { useT } from '~/i18n/i18n';

import { ARCHIPELAGOS, MAP_SIZE, type MapShape, RATE_CLASSES } from './province-map';

/**
 * Vietnam's provinces shaded by participation rate, drawn as SVG on the server (works without
 * JavaScript, prints, scales down to 360 px). Each province is one `<use>` of its path in the
 * edition's fingerprinted SVG file (the geometry is not in the page), with its rate class (the fill
 * comes from stats.css, as the legend's swatches) and a `<title>`
 * (name and rate) for pointer users; the ranked data table beside it carries the same figures for
 * everyone. The Hoàng Sa and Trường Sa archipelagos are drawn and labelled, as on every official
 * map of Vietnam. Boundaries: Open Development Mekong (CC BY-SA 4.0), see the README.
 */
export function ProvinceMap({
  title,
  desc,
  shapes,
  format,
}: {
  title: string;
  desc: string;
  shapes: MapShape[];
  format: (n: number) => string;
}) {
  const { t } = useT();
  const id = useId();
  const label = (s: MapShape) =>
    s.rate == null ? t('stats.map.shapeNoData', { name: s.name }) : t('stats.map.shape', { name: s.name, rate: format(s.rate) });
  const hs = ARCHIPELAGOS.hoangSa;
  const ts = ARCHIPELAGOS.truongSa;
  return (
    <div className="stat-map">
      <svg
        className="stat-map-svg"
        viewBox={`0 0 ${MAP_SIZE.width} ${MAP_SIZE.height}`}
        role="img"
        aria-labelledby={`${id}-t ${id}-d`}
        data-testid="stats-map-svg"
      >
        <title id={`${id}-t`}>{title}</title>
        <desc id={`${id}-d`}>{desc}</desc>
        <g className="stat-map-provinces">
          {shapes.map((s) => (
            <use key={s.key} href={s.href} data-class={s.cls ?? 'none'}>
              <title>{label(s)}</title>
            </use>
          ))}
        </g>
        <text className="stat-map-label" x={hs.x} y={hs.y - 30} textAnchor="middle">
          <tspan x={hs.x}>{t('stats.map.hoangSa')}</tspan>
          <tspan x={hs.x} dy="1.1em">
            {t('stats.map.hoangSaOf')}
          </tspan>
        </text>
        <text className="stat-map-label" x={ts.x} y={ts.y - 30} textAnchor="middle">
          <tspan x={ts.x}>{t('stats.map.truongSa')}</tspan>
          <tspan x={ts.x} dy="1.1em">
            {t('stats.map.truongSaOf')}
          </tspan>
        </text>
      </svg>
      <div className="stat-legend">
        <p className="stat-legend-title" id={`${id}-l`}>
          {t('stats.map.legend')}
        </p>
        <ul aria-labelledby={`${id}-l`}>
          {RATE_CLASSES.map((c, i) => (
            <li key={c.min} data-class={i}>
              <span className="stat-swatch" aria-hidden="true" />
              {i === RATE_CLASSES.length - 1
                ? t('stats.map.classLast', { min: format(c.min), max: format(c.max) })
                : t('stats.map.class', { min: format(c.min), max: format(c.max) })}
            </li>
          ))}
          <li data-class="none">
            <span className="stat-swatch" aria-hidden="true" />
            {t('stats.map.noData')}
          </li>
        </ul>
        <p className="stat-note">{t('stats.map.source')}</p>
      </div>
    </div>
  );
}
