import type { ReactNode } from 'react';

/**
 * A labelled region that scrolls sideways when its content (a wide table) is wider than a phone
 * screen, so the page itself never is. It takes focus so keyboard users can scroll it too.
 */
export function ScrollRegion({ label, labelledBy, children }: { label?: string; labelledBy?: string; children: ReactNode }) {
  return (
    // eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex -- a scrollable region must be keyboard-reachable (WCAG 2.1.1, axe scrollable-region-focusable)
    <div className="table-wrap" role="region" aria-label={label} aria-labelledby={labelledBy} tabIndex={0}>
      {children}
    </div>
  );
}
