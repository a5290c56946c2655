/**
 * Watch time derived on the server from the player's heartbeats (position reports every few
 * seconds). A heartbeat is credited at most the wall-clock time since the previous one times the
 * fastest playback rate a player offers, so a client cannot report a video as watched faster
 * than it can be played; seeking forward or back credits nothing. Shared by the repository's
 * player (resource_progress) and course lessons (lesson_progress).
 */
import { toNumber } from '~/db/dialect';

// Players offer up to 2×; 3× leaves room for network and server delays between heartbeats.
export const MAX_PLAYBACK_RATE = 3;
/** Slack for timer jitter between two heartbeats, in seconds. */
const JITTER_S = 1;

export interface WatchState {
  watched_seconds: number;
  beat_at: number | string | null;
  beat_position: number | null;
}

export function creditHeartbeat(prev: WatchState | null, position: number, nowMs: number, duration: number | null): WatchState {
  const pos = Number.isFinite(position) && position >= 0 ? position : 0;
  let watched = prev?.watched_seconds ?? 0;
  if (prev && prev.beat_at !== null && prev.beat_position !== null) {
    const elapsed = Math.max(0, (nowMs - toNumber(prev.beat_at)) / 1000);
    const advanced = pos - prev.beat_position;
    if (advanced > 0) watched += Math.min(advanced, elapsed * MAX_PLAYBACK_RATE + JITTER_S);
  }
  if (duration && duration > 0) watched = Math.min(watched, duration);
  return { watched_seconds: watched, beat_at: nowMs, beat_position: pos };
}
