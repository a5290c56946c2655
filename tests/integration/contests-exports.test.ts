import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';

import type { DB } from '~/db/connection';

import { attemptView, startAttempt, submitAttempt } from '../../app/domain/contests/attempts.server';
import { addPrize, addRound, register } from '../../app/domain/contests/contests.server';
import { confirmOverall, proposeOverall } from '../../app/domain/contests/overall.server';
import { publishResults } from '../../app/domain/contests/results.server';
import * as exportRoute from '../../app/routes/contests.$slug.export';
import { type ContestWorld, contestWorld } from '../helpers/contests';
import { dialects } from '../helpers/db';
import { callRoute } from '../helpers/routes';
import { eachFreshWorld } from '../helpers/world';

const T0 = new Date('2026-11-02T01:00:00Z');
const at = (s: number) => new Date(T0.getTime() + s * 1000);
const iso = (s: number) => at(s).toISOString();

/**
 * The quiz exports (a round's results, the contest-wide ranking) come from one row builder; these
 * files were recorded before the two builders were folded into one and must not change.
 */
describe.each(dialects)('quiz exports keep their files (%s)', (dialect) => {
  let db: DB;
  let w: ContestWorld;
  eachFreshWorld(dialect, contestWorld, (fresh) => ({ db, w } = fresh));

  it('the results and overall exports, CSV and XLSX, as recorded', async () => {
    const c = await w.contest({ predictionKind: 'participants', slug: 'xuat-file' });
    await w.bank(c.id, ['T'], 3);
    const rounds: string[] = [];
    for (const [i, title] of ['Tuần 1', 'Tuần 2'].entries()) {
      const r = await addRound(db, w.organiser, c.id, {
        title,
        opensAt: iso(i * 7200),
        closesAt: iso(i * 7200 + 3600),
        timeLimitS: 600,
        quota: [{ topic: null, difficulty: 'easy', count: 2 }],
      });
      if (!r.ok) throw new Error(r.code);
      rounds.push(r.value);
    }
    await addPrize(db, w.organiser, c.id, { roundId: rounds[0]!, label: 'Giải Nhất tuần', rankFrom: 1, rankTo: 1, points: 5 });
    await addPrize(db, w.organiser, c.id, { roundId: null, label: 'Giải Nhất, "toàn cuộc"', rankFrom: 1, rankTo: 1, points: 0 });
    const people: string[] = [];
    for (const [name, unit, year] of [
      ['Nguyễn Văn An', w.schoolA.id, 1990],
      ['Trần Thị Bình', w.schoolB.id, 2001],
      ['Lê Văn Cường', w.schoolA.id, 2016],
    ] as const) {
      const u = await w.user(name, year);
      const r = await register(db, c.id, u, { fullName: name, birthYear: year, unitId: unit, phone: null }, T0);
      if (!r.ok) throw new Error(r.code);
      people.push(u);
    }
    const take = async (roundId: string, userId: string, right: number, start: number, t: number, prediction: number | null) => {
      const s = await startAttempt(db, roundId, userId, at(start));
      if (!s.ok) throw new Error(s.code);
      const v = (await attemptView(db, s.value.attemptId, userId))!;
      const responses = new Map(v.questions.map((q, i) => [q.id, i < right ? 'a' : 'b']));
      const r = await submitAttempt(db, s.value.attemptId, userId, { responses, prediction }, at(t));
      if (!r.ok) throw new Error(r.code);
    };
    await take(rounds[0]!, people[0]!, 2, 10, 33.25, 3);
    await take(rounds[0]!, people[1]!, 1, 10, 50, 2);
    await take(rounds[0]!, people[2]!, 2, 10, 71.5, null);
    await take(rounds[1]!, people[0]!, 1, 7210, 7300, 2);
    await take(rounds[1]!, people[1]!, 2, 7210, 7250, 2);
    expect((await publishResults(db, w.organiser, rounds[0]!, at(4000))).ok).toBe(true);
    expect((await publishResults(db, w.organiser, rounds[1]!, at(11000))).ok).toBe(true);
    expect((await proposeOverall(db, w.organiser, c.id)).ok).toBe(true);
    expect((await confirmOverall(db, w.organiser, c.id, at(12000))).ok).toBe(true);

    const file = async (what: string, format: 'csv' | 'xlsx') => {
      const res = await callRoute(exportRoute.loader, {
        db,
        userId: w.organiser,
        path: `/contests/${c.slug}/export?what=${what}&format=${format}`,
        params: { slug: c.slug },
      });
      expect(res.status).toBe(200);
      return res;
    };
    const sheet = async (what: string) => {
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(await (await file(what, 'xlsx')).arrayBuffer());
      const rows: unknown[][] = [];
      wb.worksheets[0]!.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
      return { name: wb.worksheets[0]!.name, rows };
    };
    expect(await (await file('results', 'csv')).text()).toMatchInlineSnapshot(`
      "round,round_title,rank,full_name,birth_year,unit,score,max_score,prediction_gap,time_s,submitted_at,prize
      1,Tuần 1,1,Nguyễn Văn An,1990,Trường A,2,2,0,23.3,2026-11-02T01:00:33.250Z,Giải Nhất tuần
      1,Tuần 1,2,Lê Văn Cường,2016,Trường A,2,2,,61.5,2026-11-02T01:01:11.500Z,
      1,Tuần 1,3,Trần Thị Bình,2001,Trường B,1,2,1,40,2026-11-02T01:00:50.000Z,
      2,Tuần 2,1,Trần Thị Bình,2001,Trường B,2,2,0,40,2026-11-02T03:00:50.000Z,
      2,Tuần 2,2,Nguyễn Văn An,1990,Trường A,1,2,0,90,2026-11-02T03:01:40.000Z,
      "
    `);
    expect(await (await file('overall', 'csv')).text()).toMatchInlineSnapshot(`
      "rank,full_name,birth_year,unit,rounds,score,max_score,prediction_gap,time_s,last_submitted_at,prize
      1,Nguyễn Văn An,1990,Trường A,2,3,4,0,113.3,2026-11-02T03:01:40.000Z,"Giải Nhất, ""toàn cuộc"""
      2,Trần Thị Bình,2001,Trường B,2,3,4,1,80,2026-11-02T03:00:50.000Z,
      3,Lê Văn Cường,2016,Trường A,1,2,2,,61.5,2026-11-02T01:01:11.500Z,
      "
    `);
    expect(await sheet('results')).toMatchInlineSnapshot(`
      {
        "name": "results",
        "rows": [
          [
            "round",
            "round_title",
            "rank",
            "full_name",
            "birth_year",
            "unit",
            "score",
            "max_score",
            "prediction_gap",
            "time_s",
            "submitted_at",
            "prize",
          ],
          [
            1,
            "Tuần 1",
            1,
            "Nguyễn Văn An",
            1990,
            "Trường A",
            2,
            2,
            0,
            23.3,
            "2026-11-02T01:00:33.250Z",
            "Giải Nhất tuần",
          ],
          [
            1,
            "Tuần 1",
            2,
            "Lê Văn Cường",
            2016,
            "Trường A",
            2,
            2,
            "",
            61.5,
            "2026-11-02T01:01:11.500Z",
            "",
          ],
          [
            1,
            "Tuần 1",
            3,
            "Trần Thị Bình",
            2001,
            "Trường B",
            1,
            2,
            1,
            40,
            "2026-11-02T01:00:50.000Z",
            "",
          ],
          [
            2,
            "Tuần 2",
            1,
            "Trần Thị Bình",
            2001,
            "Trường B",
            2,
            2,
            0,
            40,
            "2026-11-02T03:00:50.000Z",
            "",
          ],
          [
            2,
            "Tuần 2",
            2,
            "Nguyễn Văn An",
            1990,
            "Trường A",
            1,
            2,
            0,
            90,
            "2026-11-02T03:01:40.000Z",
            "",
          ],
        ],
      }
    `);
    expect(await sheet('overall')).toMatchInlineSnapshot(`
      {
        "name": "overall",
        "rows": [
          [
            "rank",
            "full_name",
            "birth_year",
            "unit",
            "rounds",
            "score",
            "max_score",
            "prediction_gap",
            "time_s",
            "last_submitted_at",
            "prize",
          ],
          [
            1,
            "Nguyễn Văn An",
            1990,
            "Trường A",
            2,
            3,
            4,
            0,
            113.3,
            "2026-11-02T03:01:40.000Z",
            "Giải Nhất, "toàn cuộc"",
          ],
          [
            2,
            "Trần Thị Bình",
            2001,
            "Trường B",
            2,
            3,
            4,
            1,
            80,
            "2026-11-02T03:00:50.000Z",
            "",
          ],
          [
            3,
            "Lê Văn Cường",
            2016,
            "Trường A",
            1,
            2,
            2,
            "",
            61.5,
            "2026-11-02T01:01:11.500Z",
            "",
          ],
        ],
      }
    `);
  });
});
