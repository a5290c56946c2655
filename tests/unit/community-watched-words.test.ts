import { describe, expect, it } from 'vitest';

import { matchWatchedWords, watchedAction } from '~/domain/discussion/watched-words';

const words = [
  { word: 'đm', action: 'block' as const },
  { word: 'ngu', action: 'hold' as const },
  { word: 'đồ ngốc', action: 'flag' as const },
  { word: 'lừa đảo', action: 'hold' as const },
];

describe('watched words (Vietnamese-aware)', () => {
  it.each([
    ['đm', 'block'],
    ['ĐM thật', 'block'],
    ['dm', 'block'],
    ['d.m', 'block'],
    ['đ m', 'block'],
    ['Đ-M!', 'block'],
    ['d_m', 'block'],
    ['đmmm', 'block'],
    ['bạn thật là ngu', 'hold'],
    ['NGU', 'hold'],
    ['n g u', 'hold'],
    ['n.g.u', 'hold'],
    ['nguuu', 'hold'],
    ['đồ ngốc', 'flag'],
    ['do ngoc', 'flag'],
    ['Đồ   Ngốc', 'flag'],
    ['đồngốc', 'flag'],
    ['d0 ng0c', 'flag'],
    ['lua dao', 'hold'],
    ['LỪA-ĐẢO', 'hold'],
  ])('"%s" triggers %s', (text, action) => {
    expect(watchedAction(text, words)).toBe(action);
  });

  it.each(['Nguyễn Văn An', 'tôi đi ngủ sớm', 'admin của diễn đàn', 'đam mê đọc sách', 'dòng sông', 'ngụ ý của tác giả', 'lúa đào'])(
    '"%s" triggers nothing',
    (text) => {
      expect(watchedAction(text, words)).toBeNull();
    },
  );

  it('reports every word found, strongest action first', () => {
    expect(matchWatchedWords('ngu và d.m', words).map((m) => m.action)).toEqual(['block', 'hold']);
  });
});
