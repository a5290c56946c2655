import { useT } from '~/i18n/i18n';

const PHASE_KEYS = {
  upcoming: 'contests.phase.upcoming',
  open: 'contests.phase.open',
  closed: 'contests.phase.closed',
} as const;

export function RoundPhaseBadge({ phase }: { phase: keyof typeof PHASE_KEYS }) {
  const { t } = useT();
  return <span className={`contest-phase ${phase}`}>{t(PHASE_KEYS[phase])}</span>;
}

export function formatDuration(ms: number | null | undefined): string {
  if (ms == null) return '—';
  const s = Math.round(ms / 100) / 10;
  const m = Math.floor(s / 60);
  const rest = Math.round((s - m * 60) * 10) / 10;
  return m ? `${m}:${String(Math.floor(rest)).padStart(2, '0')}${rest % 1 ? `.${Math.round((rest % 1) * 10)}` : ''}` : `${rest}s`;
}
