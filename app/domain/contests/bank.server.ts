/**
 * A contest's question bank: questions of the quiz engine (quiz_banks owner 'contest', same kinds
 * and grading) with a topic and a difficulty; imported from a CSV/XLSX template all-or-nothing
 * (every bad row reported by number), and drawn per entrant by quota with seeded randomness.
 */
import { Readable } from 'node:stream';

import type { CellValue, Worksheet } from 'exceljs';

import { writeTransaction } from '~/db/dialect';
import type { Difficulty } from '~/db/schema/contests';
import { addQuestion, buildQuestion, createBank, type QuestionInput, validateQuestion } from '~/domain/quiz/quiz.server';
import { drawWithoutRepeats, seededShuffle } from '~/domain/quiz/random';
import type { DB } from '~/lib/db.server';
import { excel } from '~/lib/excel.server';
import { unwrap } from '~/lib/result';
import { err, ok, type Result } from '~/lib/result';

import { requireManager } from './access.server';
import type { QuotaItem } from './contests.server';

export const TEMPLATE_HEADER = [
  'topic',
  'difficulty',
  'kind',
  'question',
  'option_a',
  'option_b',
  'option_c',
  'option_d',
  'option_e',
  'option_f',
  'correct',
  'explanation',
  'points',
] as const;

export type RowProblem = 'topic' | 'difficulty' | 'kind' | 'question' | 'options' | 'answer_key' | 'points';
export interface RowError {
  row: number;
  problem: RowProblem;
}

export interface BankRow {
  topic: string;
  difficulty: Difficulty;
  question: QuestionInput;
}

const DIFFICULTY: Record<string, Difficulty> = {
  easy: 'easy',
  de: 'easy',
  dễ: 'easy',
  medium: 'medium',
  'trung binh': 'medium',
  'trung bình': 'medium',
  hard: 'hard',
  kho: 'hard',
  khó: 'hard',
};
const KIND: Record<string, QuestionInput['kind']> = {
  single: 'single',
  'mot dap an': 'single',
  'một đáp án': 'single',
  multiple: 'multiple',
  'nhieu dap an': 'multiple',
  'nhiều đáp án': 'multiple',
  true_false: 'true_false',
  'dung/sai': 'true_false',
  'đúng/sai': 'true_false',
};
const TRUE = new Set(['true', 'đúng', 'dung']);
const FALSE = new Set(['false', 'sai']);

const norm = (s: string) => s.normalize('NFC').trim().toLowerCase();

/** Reads one spreadsheet row (cells as text, in template order) into a question, or the row's problem. */
export function parseRow(cells: string[]): BankRow | RowProblem {
  const cell = (i: number) => (cells[i] ?? '').trim();
  const topic = cell(0);
  if (!topic || topic.length > 100) return 'topic';
  const difficulty = DIFFICULTY[norm(cell(1))];
  if (!difficulty) return 'difficulty';
  const prompt = cell(3);
  if (!prompt) return 'question';
  const options = cells.slice(4, 10).map((s) => (s ?? '').trim());
  const filled = options.filter(Boolean);
  // options must be contiguous from A (a gap would shift the letters of the key)
  if (options.findIndex((o) => !o) !== -1 && options.slice(options.findIndex((o) => !o)).some(Boolean)) return 'options';
  const correctRaw = norm(cell(10));
  if (!correctRaw) return 'answer_key';
  let kind = KIND[norm(cell(2))];
  if (cell(2) && !kind) return 'kind';
  if (!kind)
    kind =
      !filled.length && (TRUE.has(correctRaw) || FALSE.has(correctRaw))
        ? 'true_false'
        : correctRaw.split(/[,;\s]+/).filter(Boolean).length > 1
          ? 'multiple'
          : 'single';
  const pointsText = cell(12);
  const points = pointsText ? Number(pointsText) : 1;
  if (!Number.isInteger(points) || points < 1 || points > 100) return 'points';
  const q: QuestionInput = { kind, prompt, explanation: cell(11), points };
  if (kind === 'true_false') {
    if (!TRUE.has(correctRaw) && !FALSE.has(correctRaw)) return 'answer_key';
    q.trueFalse = TRUE.has(correctRaw);
  } else {
    if (filled.length < 2) return 'options';
    const letters = correctRaw.split(/[,;\s]+/).filter(Boolean);
    const idx = letters.map((l) => (l.length === 1 ? l.charCodeAt(0) - 97 : -1));
    if (!idx.length || idx.some((i) => i < 0 || i >= filled.length) || new Set(idx).size !== idx.length) return 'answer_key';
    if (kind === 'single' && idx.length !== 1) return 'answer_key';
    q.options = filled;
    q.correct = idx;
  }
  const built = buildQuestion(q);
  if (validateQuestion({ kind, prompt, ...built })) return 'answer_key';
  return { topic, difficulty, question: q };
}

function cellText(v: CellValue): string {
  if (v == null) return '';
  if (typeof v === 'object') {
    if ('richText' in v) return v.richText.map((r) => r.text).join('');
    if ('result' in v) return String(v.result ?? '');
    if ('text' in v) return String(v.text);
    if (v instanceof Date) return v.toISOString();
  }
  return String(v);
}

export type ReadError = 'unreadable' | 'empty';

/** The rows of an uploaded template (XLSX or CSV), header row dropped; numbered as the spreadsheet numbers them. */
export async function readSheet(data: Uint8Array, fileName: string): Promise<Result<Array<{ row: number; cells: string[] }>, ReadError>> {
  const wb = new (excel().Workbook)();
  let ws: Worksheet | undefined;
  try {
    if (/\.csv$/i.test(fileName) || !(data[0] === 0x50 && data[1] === 0x4b)) {
      const text = Buffer.from(data)
        .toString('utf8')
        .replace(/^\uFEFF/, '');
      ws = await wb.csv.read(Readable.from([text]), { map: (v: unknown) => v } as never);
    } else {
      await wb.xlsx.load(Buffer.from(data) as never);
      ws = wb.worksheets[0];
    }
  } catch {
    return err('unreadable');
  }
  if (!ws) return err('unreadable');
  const rows: Array<{ row: number; cells: string[] }> = [];
  ws.eachRow({ includeEmpty: false }, (r, n) => {
    const cells: string[] = [];
    for (let i = 1; i <= TEMPLATE_HEADER.length; i++) cells.push(cellText(r.getCell(i).value));
    if (cells.some((c) => c.trim())) rows.push({ row: n, cells });
  });
  const first = rows[0];
  if (first && norm(first.cells[0] ?? '') === 'topic') rows.shift();
  if (!rows.length) return err('empty');
  return ok(rows);
}

export type ImportError = 'not_found' | 'forbidden' | 'bad_rows' | ReadError;

/**
 * Imports every row or none: all rows are checked first and every bad one is reported by its
 * spreadsheet row number; then all questions go in one transaction.
 */
export async function importBank(
  db: DB,
  userId: string,
  contestId: string,
  file: { data: Uint8Array; name: string },
): Promise<Result<{ imported: number }, ImportError> & { rowErrors?: RowError[] }> {
  const c = await requireManager(db, contestId, userId);
  if (!c.ok) return c;
  const sheet = await readSheet(file.data, file.name);
  if (!sheet.ok) return sheet;
  const good: BankRow[] = [];
  const rowErrors: RowError[] = [];
  for (const r of sheet.value) {
    const p = parseRow(r.cells);
    if (typeof p === 'string') rowErrors.push({ row: r.row, problem: p });
    else good.push(p);
  }
  if (rowErrors.length) return { ...err('bad_rows', { count: rowErrors.length }), rowErrors };
  await addRows(db, contestId, good);
  return ok({ imported: good.length });
}

/** Adds checked rows to the contest's bank (creating it), in one transaction. */
export async function addRows(db: DB, contestId: string, rows: BankRow[]): Promise<void> {
  await writeTransaction(db, async (trx) => {
    let bank = await trx
      .selectFrom('quiz_banks')
      .select('id')
      .where('owner_kind', '=', 'contest')
      .where('owner_id', '=', contestId)
      .executeTakeFirst();
    const bankId = bank?.id ?? (await createBank(trx, { ownerKind: 'contest', ownerId: contestId, title: 'contest' }));
    bank = { id: bankId };
    for (const r of rows) {
      // Rows were checked above; a refusal here is a bug, not bad input.
      const qid = unwrap(await addQuestion(trx, bankId, r.question));
      await trx
        .insertInto('contest_questions')
        .values({ question_id: qid, contest_id: contestId, topic: r.topic, difficulty: r.difficulty })
        .execute();
    }
  });
}

export async function bankSummary(db: DB, contestId: string) {
  const rows = await db
    .selectFrom('contest_questions')
    .select(['topic', 'difficulty', (eb) => eb.fn.countAll<number>().as('n')])
    .where('contest_id', '=', contestId)
    .groupBy(['topic', 'difficulty'])
    .orderBy('topic')
    .execute();
  return rows.map((r) => ({ topic: r.topic, difficulty: r.difficulty, n: Number(r.n) }));
}

/**
 * The questions of one attempt: for each quota item (per topic when its topic is null), `count`
 * distinct questions of that topic and difficulty drawn with the attempt's seed, then the whole
 * set shuffled with the same seed. Same seed → same questions in the same order.
 */
export async function drawQuestions(db: DB, contestId: string, quota: QuotaItem[], seed: string): Promise<string[]> {
  const rows = await db
    .selectFrom('contest_questions as cq')
    .innerJoin('quiz_questions as q', 'q.id', 'cq.question_id')
    .select(['cq.question_id', 'cq.topic', 'cq.difficulty'])
    .where('cq.contest_id', '=', contestId)
    .orderBy('q.position')
    .execute();
  return drawFrom(rows, quota, seed);
}

export function drawFrom(
  rows: Array<{ question_id: string; topic: string; difficulty: Difficulty }>,
  quota: QuotaItem[],
  seed: string,
): string[] {
  const topics = [...new Set(rows.map((r) => r.topic))].sort();
  const picked: string[] = [];
  for (const q of quota) {
    for (const topic of q.topic == null ? topics : [q.topic]) {
      const pool = rows
        .filter((r) => r.topic === topic && r.difficulty === q.difficulty && !picked.includes(r.question_id))
        .map((r) => r.question_id);
      picked.push(...drawWithoutRepeats(pool, q.count, `${seed}:${topic}:${q.difficulty}`));
    }
  }
  return seededShuffle(picked, seed);
}

/** The empty template (with two example rows) organisers download. */
export async function templateXlsx(): Promise<Buffer> {
  const wb = new (excel().Workbook)();
  const ws = wb.addWorksheet('questions');
  ws.addRow([...TEMPLATE_HEADER]);
  ws.addRow([
    'An toàn mạng',
    'dễ',
    'single',
    'Mật khẩu nào mạnh nhất?',
    '123456',
    'matkhau',
    'T0i#Di-Hoc!2024',
    'ngaysinh',
    '',
    '',
    'C',
    '',
    1,
  ]);
  ws.addRow([
    'An toàn mạng',
    'khó',
    'multiple',
    'Dấu hiệu nào cho thấy một tin nhắn lừa đảo?',
    'Giục chuyển tiền gấp',
    'Xin mã OTP',
    'Gửi từ số đã lưu',
    '',
    '',
    '',
    'A,B',
    '',
    1,
  ]);
  ws.getRow(1).font = { bold: true };
  return Buffer.from(await wb.xlsx.writeBuffer());
}
