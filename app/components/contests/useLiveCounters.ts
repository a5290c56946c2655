import { useEffect, useState } from 'react';

export interface Counters {
  entrants: number;
  submitted: number;
  byUnit: Array<{ name: string; entrants: number }>;
}

/**
 * The contest page's live counters (issue #14). The page — possibly from the page cache — shows
 * the figures of its render; with JavaScript they are refreshed from `/contests/<slug>/counters`
 * every `refreshS` seconds while a round is open (at once if the render is older than that).
 * Returns the figures to show for a round: the latest polled, else the rendered ones.
 */
export function useLiveCounters(slug: string, anyOpen: boolean, refreshS: number, renderedAt: string) {
  const [live, setLive] = useState<Map<string, Counters> | null>(null);
  useEffect(() => {
    if (!anyOpen) return;
    let stopped = false;
    const poll = async () => {
      try {
        const res = await fetch(`/contests/${encodeURIComponent(slug)}/counters`, { cache: 'no-store' });
        if (!res.ok) return;
        const d = (await res.json()) as { rounds: Array<{ id: string; counters: Counters }> };
        if (!stopped) setLive(new Map(d.rounds.map((r) => [r.id, r.counters])));
      } catch {
        // offline for a moment: keep the figures shown, try again at the next tick
      }
    };
    if (Date.now() - new Date(renderedAt).getTime() > refreshS * 1000) void poll();
    const timer = setInterval(() => void poll(), refreshS * 1000);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [slug, anyOpen, refreshS, renderedAt]);
  return (roundId: string, rendered: Counters | null): Counters | null => live?.get(roundId) ?? rendered;
}
