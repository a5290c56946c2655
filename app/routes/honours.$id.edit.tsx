import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';

import { FormError } from '~/components/Field';
import { NominationFields } from '~/components/honours/NominationFields';
import { updateNomination } from '~/domain/honours/nominations.server';
import { nominationPage } from '~/domain/honours/pages.server';
import { nominationEditSchema } from '~/forms/honours-nomination';
import { useT } from '~/i18n/i18n';
import { detectLocale, getT } from '~/i18n/i18n.server';
import { requireUser } from '~/lib/auth.server';
import { getDb } from '~/lib/db.server';
import { honourFailures } from '~/lib/failures/honours.server';
import { redirectWithFlash } from '~/lib/flash.server';
import { parseForm } from '~/lib/forms.server';
import { badRequest, forbidden, notFound } from '~/lib/http.server';

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? '' }, { name: 'robots', content: 'noindex' }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const page = await nominationPage(getDb(), params.id ?? '', user.id);
  if (!page) notFound();
  if (!page.canEdit) forbidden();
  const n = page.nomination;
  return json({
    title: getT(detectLocale(request))('honours.edit.title'),
    id: n.id,
    stored: {
      category: n.category,
      nominee_name: n.nomineeName,
      nominee_email: n.nomineeEmail ?? '',
      nominee_birth_year: n.nomineeBirthYear ? String(n.nomineeBirthYear) : '',
      consent: n.consent ? 'on' : '',
      consent_by: n.consentBy ?? '',
      headline: n.headline,
      citation_md: n.citationMd,
      evidence: n.evidence.map((ev) => `${ev.url}${ev.label ? ` ${ev.label}` : ''}`).join('\n'),
    } as Record<string, string>,
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const r = parseForm(nominationEditSchema, await request.formData());
  if (!r.ok) return badRequest({ errors: r.errors, values: r.values });
  const d = r.data;
  const res = await updateNomination(getDb(), user.id, params.id ?? '', {
    category: d.category,
    nomineeName: d.nominee_name,
    nomineeEmail: d.nominee_email,
    nomineeBirthYear: d.nominee_birth_year,
    consent: d.consent,
    consentBy: d.consent_by,
    headline: d.headline,
    citationMd: d.citation_md,
    evidence: d.evidence,
  });
  if (!res.ok) {
    const field = res.code === 'consent_by_required' ? 'consent_by' : '_form';
    return badRequest({ errors: { [field]: honourFailures[res.code].message } as Record<string, string>, values: r.values });
  }
  return redirectWithFlash(`/honours/${params.id}`, { message: 'honours.flash.saved' });
}

export default function EditNomination() {
  const { id, stored } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const { t } = useT();
  const v: Record<string, string | undefined> = data?.values ?? stored;
  const e = (data?.errors ?? {}) as Record<string, string | undefined>;
  return (
    <>
      <h1>{t('honours.edit.title')}</h1>
      <p>
        <Link to={`/honours/${id}`}>← {stored.nominee_name}</Link>
      </p>
      <FormError error={e._form} />
      <Form method="post" className="stack">
        <NominationFields v={v} e={e} />
        <button type="submit">{t('honours.edit.save')}</button>
      </Form>
    </>
  );
}
