import { useT } from '~/i18n/i18n';
import { labelText, licenceLabel, licenceNameLabel } from '~/i18n/labels';

const URLS: Record<string, string> = {
  'cc-by': 'https://creativecommons.org/licenses/by/4.0/',
  'cc-by-sa': 'https://creativecommons.org/licenses/by-sa/4.0/',
  'cc-by-nc': 'https://creativecommons.org/licenses/by-nc/4.0/',
  cc0: 'https://creativecommons.org/publicdomain/zero/1.0/',
  'public-domain': 'https://creativecommons.org/publicdomain/mark/1.0/',
};

export function licenceUrl(licence: string): string {
  return URLS[licence] ?? '';
}

/** A licence badge linking to the licence deed. */
export function LicenceBadge({ licence }: { licence: string }) {
  const { t } = useT();
  return (
    <a
      className="badge oer-licence"
      href={licenceUrl(licence)}
      rel="license noopener noreferrer"
      target="_blank"
      title={labelText(t, licenceNameLabel, licence)}
    >
      {labelText(t, licenceLabel, licence)}
    </a>
  );
}
