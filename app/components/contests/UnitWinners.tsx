import { ScrollRegion } from '~/components/ScrollRegion';
import { useT } from '~/i18n/i18n';
import { localName } from '~/lib/names';

const BASIS_KEYS = {
  entrants: 'contests.overall.basis.entrants',
  rate: 'contests.overall.basis.rate',
  collective: 'contests.overall.basis.collective',
} as const;

export interface UnitWinner {
  prize: string;
  basis: keyof typeof BASIS_KEYS | null;
  rank: number;
  value: number;
  entrants: number;
  name: string;
  nameEn: string | null;
}

/**
 * The units that won collective prizes ("giải tập thể") — one table for a round's results and the
 * contest-wide results.
 */
export function UnitWinners({ units, headingId = 'units-h' }: { units: readonly UnitWinner[]; headingId?: string }) {
  const { t, locale } = useT();
  return (
    <section aria-labelledby={headingId}>
      <h2 id={headingId}>{t('contests.overall.unitWinners')}</h2>
      {units.length === 0 ? (
        <p>{t('contests.overall.noUnitWinners')}</p>
      ) : (
        <ScrollRegion labelledBy={headingId}>
          <table className="data">
            <thead>
              <tr>
                <th scope="col">{t('contests.results.prize')}</th>
                <th scope="col">{t('contests.overall.kind')}</th>
                <th scope="col">{t('contests.results.rank')}</th>
                <th scope="col">{t('contests.results.unit')}</th>
                <th scope="col">{t('contests.overall.value')}</th>
                <th scope="col">{t('contests.board.entrants')}</th>
              </tr>
            </thead>
            <tbody>
              {units.map((u, i) => (
                <tr key={i}>
                  <td>{u.prize}</td>
                  <td>{u.basis ? t(BASIS_KEYS[u.basis]) : ''}</td>
                  <td>{u.rank}</td>
                  <td>{localName({ name: u.name, name_en: u.nameEn }, locale)}</td>
                  <td>{u.basis === 'rate' ? `${Number(u.value)} %` : Number(u.value)}</td>
                  <td>{u.entrants}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      )}
    </section>
  );
}
