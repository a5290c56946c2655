import { describe, expect, test } from 'vitest';

import { viSortKey } from '~/lib/vi-sort';

const WORDS = [
  'Đọc sách cùng cháu',
  'Dế mèn phiêu lưu ký',
  'Ăn quả nhớ kẻ trồng cây',
  'An toàn trên mạng',
  'Âm nhạc',
  'Ba',
  'bà',
  'Bà',
  'Bả',
  'Bã',
  'Bá',
  'Bạ',
  'Ba con',
  'Bánh chưng bánh giầy',
  'Ca dao tục ngữ về học tập',
  'Cây tre trăm đốt',
  'Con Rồng cháu Tiên',
  'Ơn',
  'Ôn',
  'On',
  'Sơn Tinh Thủy Tinh',
  'Sự tích trầu cau',
  'Tấm Cám',
  'Tam',
  'Tâm',
  'Thánh Gióng',
  'Thơ Nôm cổ điển',
  'Truyện Kiều (trích)',
  'Tự học thời số',
  'Ưu tiên',
  'Uống nước',
  'Zalo',
  '2024 — Văn hóa đọc',
  'Y tế',
];

describe('viSortKey', () => {
  test('byte order of the keys is the order of Intl.Collator("vi")', () => {
    const byCollator = [...WORDS].sort(new Intl.Collator('vi').compare);
    const byKey = [...WORDS].sort((a, b) => (viSortKey(a) < viSortKey(b) ? -1 : viSortKey(a) > viSortKey(b) ? 1 : 0));
    expect(byKey).toEqual(byCollator);
  });

  test('"Đọc…" comes right after the "D…" titles, not last', () => {
    const sorted = ['Đọc sách cùng cháu', 'Dế mèn', 'Ếch ngồi đáy giếng', 'Zalo'].sort((a, b) => (viSortKey(a) < viSortKey(b) ? -1 : 1));
    expect(sorted).toEqual(['Dế mèn', 'Đọc sách cùng cháu', 'Ếch ngồi đáy giếng', 'Zalo']);
  });

  test('decomposed input (some keyboards) sorts like composed input', () => {
    expect(viSortKey('Tấm Cám'.normalize('NFD'))).toBe(viSortKey('Tấm Cám'));
  });
});
