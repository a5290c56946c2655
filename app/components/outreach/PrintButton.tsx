import { useEffect, useState } from 'react';

/** window.print() needs JavaScript: the button only appears once it can work (the page's hint stays). */
export function PrintButton({ label }: { label: string }) {
  const [ready, setReady] = useState(false);
  useEffect(() => setReady(true), []);
  if (!ready) return null;
  return (
    <button type="button" className="button" onClick={() => window.print()}>
      {label}
    </button>
  );
}
