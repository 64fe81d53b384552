import { describe, expect, it } from 'vitest';
import { storableJson, storableText } from '../src/index';

describe('storableJson: what jsonb takes', () => {
  it.each([
    [{ v: 'a\u0000b' }, '{"v":"a\\ufffdb"}'],
    [{ 'k\u0000': 1 }, '{"k\\ufffd":1}'],
    [['\ud800x', 'y\udfff'], '["\\ufffdx","y\\ufffd"]'],
    [{ deep: [{ deeper: ['\u0000\u0000'] }] }, '{"deep":[{"deeper":["\\ufffd\\ufffd"]}]}'],
    // left alone: a pair (an emoji), a backslash followed by the text u0000, other escapes
    [{ v: '😀 \\u0000 \\ud800 "q" \n \u0001' }, JSON.stringify({ v: '😀 \\u0000 \\ud800 "q" \n \u0001' })],
    ['plain', '"plain"'],
    [null, 'null'],
  ])('%j → %s', (value, json) => {
    expect(storableJson(value)).toBe(json);
    expect(JSON.parse(storableJson(value) as string)).toEqual(JSON.parse(json));
  });

  it('gives undefined for what JSON.stringify does', () => {
    expect(storableJson(undefined)).toBeUndefined();
  });
});

describe('storableText: what a text column takes', () => {
  it.each([
    ['boom \u0000 nul', 'boom \ufffd nul'],
    ['lone \ud800 high', 'lone \ufffd high'],
    ['😀 kept', '😀 kept'],
  ])('%j → %j', (text, stored) => {
    expect(storableText(text)).toBe(stored);
  });
});
