import { SelectField, TextField } from '~/components/Field';
import { useT } from '~/i18n/i18n';
import type { TKey } from '~/i18n/keys';
import { toLocalInput } from '~/lib/dates';

/** What a round's voting settings are now (an existing round), for the form's defaults. */
export interface VotingDefaults {
  voting: boolean;
  voteOpensAt: string | null;
  voteClosesAt: string | null;
  votesMode: 'per_entry' | 'per_contest';
  votesPerAccount: number;
  /** 0–1. */
  voteWeight: number;
  burstThreshold: number;
  burstWindowS: number;
  newAccountDays: number;
  peoplesChoiceLabel: string | null;
  peoplesChoiceWinners: number;
}

export const NO_VOTING: VotingDefaults = {
  voting: false,
  voteOpensAt: null,
  voteClosesAt: null,
  votesMode: 'per_entry',
  votesPerAccount: 1,
  voteWeight: 0,
  burstThreshold: 20,
  burstWindowS: 600,
  newAccountDays: 7,
  peoplesChoiceLabel: null,
  peoplesChoiceWinners: 1,
};

type FieldName =
  | 'vote_opens_at'
  | 'vote_closes_at'
  | 'votes_mode'
  | 'votes_per_account'
  | 'vote_weight'
  | 'peoples_choice_label'
  | 'peoples_choice_winners'
  | 'burst_threshold'
  | 'burst_window_min'
  | 'new_account_days';

/** One field of the group: its form name, label, kind and default from the round's settings. */
interface FieldSpec {
  name: FieldName;
  label: TKey;
  kind: 'date' | 'number' | 'text' | 'mode';
  value: (d: VotingDefaults) => string;
}

/** The fields in the order of the form (the checkbox that switches voting on comes first). */
const FIELDS: readonly FieldSpec[] = [
  { name: 'vote_opens_at', label: 'contests.entries.fields.voteOpens', kind: 'date', value: (d) => toLocalInput(d.voteOpensAt) },
  { name: 'vote_closes_at', label: 'contests.entries.fields.voteCloses', kind: 'date', value: (d) => toLocalInput(d.voteClosesAt) },
  { name: 'votes_mode', label: 'contests.entries.fields.votesMode', kind: 'mode', value: (d) => d.votesMode },
  { name: 'votes_per_account', label: 'contests.entries.fields.votesPerAccount', kind: 'number', value: (d) => String(d.votesPerAccount) },
  {
    name: 'vote_weight',
    label: 'contests.entries.fields.voteWeight',
    kind: 'number',
    value: (d) => String(Math.round(d.voteWeight * 100)),
  },
  {
    name: 'peoples_choice_label',
    label: 'contests.entries.fields.peoplesChoiceLabel',
    kind: 'text',
    value: (d) => d.peoplesChoiceLabel ?? '',
  },
  {
    name: 'peoples_choice_winners',
    label: 'contests.entries.fields.peoplesChoiceWinners',
    kind: 'number',
    value: (d) => String(d.peoplesChoiceWinners),
  },
  { name: 'burst_threshold', label: 'contests.entries.fields.burstThreshold', kind: 'number', value: (d) => String(d.burstThreshold) },
  {
    name: 'burst_window_min',
    label: 'contests.entries.fields.burstWindowMin',
    kind: 'number',
    value: (d) => String(Math.round(d.burstWindowS / 60)),
  },
  { name: 'new_account_days', label: 'contests.entries.fields.newAccountDays', kind: 'number', value: (d) => String(d.newAccountDays) },
];

/** How each kind of field is typed in (a date and time, digits, free text). */
const INPUT_OF: Record<Exclude<FieldSpec['kind'], 'mode'>, { type?: 'datetime-local'; inputMode?: 'numeric' }> = {
  date: { type: 'datetime-local' },
  number: { inputMode: 'numeric' },
  text: {},
};

/**
 * The public-voting fields of a submission round (plain inputs: the form works without
 * JavaScript). `values` are what was typed when the form came back with errors.
 */
export function VotingFields({
  idPrefix,
  defaults,
  values,
  errors,
}: {
  idPrefix: string;
  defaults: VotingDefaults;
  values?: Record<string, string>;
  errors?: Record<string, string>;
}) {
  const { t } = useT();
  return (
    <fieldset className="stack">
      <legend>{t('contests.entries.manage.voting')}</legend>
      <label>
        <input type="checkbox" name="voting" defaultChecked={values ? values.voting === 'on' : defaults.voting} />{' '}
        {t('contests.entries.fields.voting')}
      </label>
      {FIELDS.map((f) => {
        const common = {
          name: f.name,
          id: `${idPrefix}-${f.name}`,
        };
        const defaultValue = values?.[f.name] ?? f.value(defaults);
        const error = errors?.[f.name];
        return f.kind === 'mode' ? (
          <SelectField key={f.name} {...common} label={t(f.label)} defaultValue={defaultValue} error={error}>
            <option value="per_entry">{t('contests.entries.fields.votesPerEntry')}</option>
            <option value="per_contest">{t('contests.entries.fields.votesPerContest')}</option>
          </SelectField>
        ) : (
          <TextField key={f.name} {...common} {...INPUT_OF[f.kind]} label={t(f.label)} defaultValue={defaultValue} error={error} />
        );
      })}
    </fieldset>
  );
}
