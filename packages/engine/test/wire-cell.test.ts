import { expect, it } from 'vitest';
import { wireCells } from '../src/feed/wire-cell';

it("splits a page's cell texts and reads each one's seq and row id, passing the text on whole", () => {
  const first = '[812,4,9,31,"done",{"a, b":[1,2]},null,1,2,5,0.002,null,"2026-12-01T07:31:34.120Z",null]';
  const second = '[1000000000001,77,9,32,"error",null,"timeout, then\\n429",3,3,5,null,null,null,null]';
  expect(wireCells(`${first}\n${second}`)).toEqual([
    { seq: 812, rowId: 4, text: first },
    { seq: 1000000000001, rowId: 77, text: second },
  ]);
  expect(wireCells('')).toEqual([]);
});

it('refuses a text that does not start with a seq and a row id', () => {
  expect(() => wireCells('{"seq":1,"rowId":2}')).toThrow(/does not start with its seq and row id/);
  expect(() => wireCells('[1]')).toThrow(/does not start with its seq and row id/);
});
