import type { ReactNode } from 'react';

/** A labelled horizontal scroll region for wide tables (no page overflow at 360 px). */
export function ScrollRegion({ label, labelledBy, children }: { label?: string; labelledBy?: string; children: ReactNode }) {
  return (
    // eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex -- a scrollable region must take keyboard focus (axe scrollable-region-focusable)
    <div className="table-scroll" role="region" aria-label={label} aria-labelledby={labelledBy} tabIndex={0}>
      {children}
    </div>
  );
}
