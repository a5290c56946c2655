import { SelectField, TextField } from '~/components/Field';
import { useT } from '~/i18n/i18n';
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
  const v = (k: string, d: string) => values?.[k] ?? d;
  const id = (k: string) => `${idPrefix}-${k}`;
  return (
    <fieldset className="stack">
      <legend>{t('contests.entries.manage.voting')}</legend>
      <label>
        <input type="checkbox" name="voting" defaultChecked={values ? values.voting === 'on' : defaults.voting} />{' '}
        {t('contests.entries.fields.voting')}
      </label>
      <TextField
        name="vote_opens_at"
        id={id('vote_opens_at')}
        type="datetime-local"
        label={t('contests.entries.fields.voteOpens')}
        defaultValue={v('vote_opens_at', toLocalInput(defaults.voteOpensAt))}
        error={errors?.vote_opens_at}
      />
      <TextField
        name="vote_closes_at"
        id={id('vote_closes_at')}
        type="datetime-local"
        label={t('contests.entries.fields.voteCloses')}
        defaultValue={v('vote_closes_at', toLocalInput(defaults.voteClosesAt))}
        error={errors?.vote_closes_at}
      />
      <SelectField
        name="votes_mode"
        id={id('votes_mode')}
        label={t('contests.entries.fields.votesMode')}
        defaultValue={v('votes_mode', defaults.votesMode)}
        error={errors?.votes_mode}
      >
        <option value="per_entry">{t('contests.entries.fields.votesPerEntry')}</option>
        <option value="per_contest">{t('contests.entries.fields.votesPerContest')}</option>
      </SelectField>
      <TextField
        name="votes_per_account"
        id={id('votes_per_account')}
        inputMode="numeric"
        label={t('contests.entries.fields.votesPerAccount')}
        defaultValue={v('votes_per_account', String(defaults.votesPerAccount))}
        error={errors?.votes_per_account}
      />
      <TextField
        name="vote_weight"
        id={id('vote_weight')}
        inputMode="numeric"
        label={t('contests.entries.fields.voteWeight')}
        defaultValue={v('vote_weight', String(Math.round(defaults.voteWeight * 100)))}
        error={errors?.vote_weight}
      />
      <TextField
        name="peoples_choice_label"
        id={id('peoples_choice_label')}
        label={t('contests.entries.fields.peoplesChoiceLabel')}
        defaultValue={v('peoples_choice_label', defaults.peoplesChoiceLabel ?? '')}
        error={errors?.peoples_choice_label}
      />
      <TextField
        name="peoples_choice_winners"
        id={id('peoples_choice_winners')}
        inputMode="numeric"
        label={t('contests.entries.fields.peoplesChoiceWinners')}
        defaultValue={v('peoples_choice_winners', String(defaults.peoplesChoiceWinners))}
        error={errors?.peoples_choice_winners}
      />
      <TextField
        name="burst_threshold"
        id={id('burst_threshold')}
        inputMode="numeric"
        label={t('contests.entries.fields.burstThreshold')}
        defaultValue={v('burst_threshold', String(defaults.burstThreshold))}
        error={errors?.burst_threshold}
      />
      <TextField
        name="burst_window_min"
        id={id('burst_window_min')}
        inputMode="numeric"
        label={t('contests.entries.fields.burstWindowMin')}
        defaultValue={v('burst_window_min', String(Math.round(defaults.burstWindowS / 60)))}
        error={errors?.burst_window_min}
      />
      <TextField
        name="new_account_days"
        id={id('new_account_days')}
        inputMode="numeric"
        label={t('contests.entries.fields.newAccountDays')}
        defaultValue={v('new_account_days', String(defaults.newAccountDays))}
        error={errors?.new_account_days}
      />
    </fieldset>
  );
}
