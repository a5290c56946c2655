import { Form } from '@remix-run/react';

import { Failure } from '~/components/community/Failure';
import { modActionLabel } from '~/components/discussion/labels';
import { PostForm, type PostForms } from '~/components/discussion/PostForm';
import { SelectField, TextField } from '~/components/Field';
import type { ModAction } from '~/domain/discussion/moderation.server';
import { useT } from '~/i18n/i18n';

export interface ModerationFormProps {
  postId: string;
  /** Field ids are `${idPrefix}-action-${idKey}` and so on: unique on the page. */
  idPrefix: string;
  idKey: string;
  /** The actions offered, in menu order; the amount and move fields show only when they apply. */
  actions: readonly ModAction[];
  defaultAction: ModAction;
  /** What was typed in the last refused form (its `postId` says whether it was this post's). */
  values: Record<string, string>;
  /** The refusal to show in this form, if any. */
  error: string | null;
  params?: Record<string, string | number>;
  /** Places the thread may be moved to (with the `move` action). */
  moveTargets?: ReadonlyArray<{ id: string; name: string }>;
  className?: string;
  /** The apply button is the page's main action (the review queue) rather than a side tool. */
  primary?: boolean;
  /** A list's shared plain-form sending (./PostForm.tsx); without it, a Remix `<Form>`. */
  forms?: PostForms;
}

/**
 * The moderate-a-post form (intent `moderate`) of the discussion engine, posted to the page's own
 * action: under each post of a thread (ThreadView) and on each item of the review queue.
 */
export function ModerationForm({
  postId,
  idPrefix,
  idKey,
  actions,
  defaultAction,
  values,
  error,
  params,
  moveTargets = [],
  className,
  primary = false,
  forms,
}: ModerationFormProps) {
  const { t } = useT();
  const mine = values.postId === postId;
  // One number field: seconds for slow mode, days for a suspension.
  const amount = actions.includes('slow') ? 'daysOrSeconds' : actions.includes('silence') ? 'days' : null;
  const fields = (
    <>
      <Failure message={error} params={params} />
      <input type="hidden" name="intent" value="moderate" />
      <input type="hidden" name="postId" value={postId} />
      <SelectField
        name="action"
        id={`${idPrefix}-action-${idKey}`}
        label={t('community.mod.action')}
        defaultValue={mine ? values.action : defaultAction}
      >
        {actions.map((k) => (
          <option key={k} value={k}>
            {t(modActionLabel[k])}
          </option>
        ))}
      </SelectField>
      <TextField
        name="reason"
        id={`${idPrefix}-reason-${idKey}`}
        label={t('community.mod.reason')}
        defaultValue={mine ? values.reason : ''}
        maxLength={500}
      />
      {amount === 'daysOrSeconds' ? (
        <TextField
          name="amount"
          id={`${idPrefix}-amount-${idKey}`}
          label={t('community.mod.amount')}
          hint={t('community.mod.amountHint')}
          inputMode="numeric"
        />
      ) : amount === 'days' ? (
        <TextField name="amount" id={`${idPrefix}-amount-${idKey}`} label={t('community.mod.days')} inputMode="numeric" />
      ) : null}
      {actions.includes('move') && moveTargets.length ? (
        <SelectField name="targetPlaceId" id={`${idPrefix}-target-${idKey}`} label={t('community.mod.target')} defaultValue="">
          <option value="">{t('common.none')}</option>
          {moveTargets.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </SelectField>
      ) : null}
      <button type="submit" className={primary ? 'primary small' : 'secondary small'}>
        {t('community.mod.apply')}
      </button>
    </>
  );
  return forms ? (
    <PostForm forms={forms} noValidate className={className}>
      {fields}
    </PostForm>
  ) : (
    <Form method="post" noValidate className={className}>
      {fields}
    </Form>
  );
}
