/**
 * The reorganisation form: the parsed form → one `Reorganisation` → preview or apply. Checks
 * that belong to the form (a new unit needs a name, kind and parent) answer with the field.
 */
import type { ReorganiseForm } from '~/forms/units';
import type { DB } from '~/lib/db.server';
import { err, ok, type Result } from '~/lib/result';

import { slugFor } from './import.server';
import {
  applyReorganisation,
  previewReorganisation,
  type Reorganisation,
  type ReorganisationPreview,
  type ReorganiseError,
} from './reorganise.server';

export type FormFieldError = { field: string; message: string };

export function toReorganisation(f: ReorganiseForm): Result<Reorganisation, 'field'> & { fieldError?: FormFieldError } {
  if (f.op === 'move') return ok({ op: 'move', unitId: f.unit, parentId: f.parent, on: f.effective_on });
  if (f.op === 'rename')
    return ok({ op: 'rename', unitId: f.unit, name: f.new_name, nameEn: f.new_name_en, slug: f.new_slug, on: f.effective_on });
  if (f.target_mode === 'existing') {
    if (!f.target) return { ...err('field'), fieldError: { field: 'target', message: 'errors.choose' } };
    return ok({ op: 'merge', sourceIds: f.sources, target: { id: f.target }, on: f.effective_on });
  }
  if (!f.new_name) return { ...err('field'), fieldError: { field: 'new_name', message: 'errors.required' } };
  if (!f.new_kind) return { ...err('field'), fieldError: { field: 'new_kind', message: 'errors.choose' } };
  if (!f.new_parent) return { ...err('field'), fieldError: { field: 'new_parent', message: 'errors.choose' } };
  const slug = f.new_slug || slugFor(f.new_name, '').replace(/-$/, '');
  if (!/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(slug)) return { ...err('field'), fieldError: { field: 'new_slug', message: 'units.errors.slug' } };
  return ok({
    op: 'merge',
    sourceIds: f.sources,
    target: { create: { name: f.new_name, nameEn: f.new_name_en, slug, kind: f.new_kind, parentId: f.new_parent, code: null } },
    on: f.effective_on,
  });
}

export async function reorganiseIntent(
  db: DB,
  userId: string,
  r: Reorganisation,
  intent: 'preview' | 'apply',
): Promise<Result<{ applied: boolean; preview: ReorganisationPreview }, ReorganiseError>> {
  if (intent === 'preview') {
    const p = await previewReorganisation(db, userId, r);
    return p.ok ? ok({ applied: false, preview: p.value }) : p;
  }
  const a = await applyReorganisation(db, userId, r);
  return a.ok ? ok({ applied: true, preview: a.value.preview }) : a;
}
