import { describe, expect, it } from 'vitest';
import { nameProvider, splitName } from '../src/name';
import type { NameOrder } from '../src/support/name-order';
import { okValue, runProvider } from './support/run-provider';

type Expect = {
  first: string | null;
  middle?: string | null;
  last: string | null;
  prefix?: string;
  suffix?: string;
};

// Ours: what name columns of lead lists hold. [input, nameOrder, country, expected parts]
const leads: Array<[string, NameOrder, string, Expect]> = [
  ['Ada Lovelace', 'auto', '', { first: 'Ada', middle: null, last: 'Lovelace' }],
  ['john mcdonald', 'auto', '', { first: 'john', last: 'mcdonald' }],
  ['John McDonald', 'auto', '', { first: 'John', last: 'McDonald' }],
  ['JOHN MCDONALD', 'auto', '', { first: 'JOHN', last: 'MCDONALD' }],
  ['Pieter van der Berg', 'auto', '', { first: 'Pieter', last: 'van der Berg' }],
  ['Ludwig van Beethoven', 'auto', '', { first: 'Ludwig', last: 'van Beethoven' }],
  ['Charles de Gaulle', 'auto', '', { first: 'Charles', last: 'de Gaulle' }],
  ["Conan O'Brien", 'auto', '', { first: 'Conan', last: "O'Brien" }],
  ['Mary-Kate Olsen', 'auto', '', { first: 'Mary-Kate', last: 'Olsen' }],
  ['Anne-Marie Smith-Jones', 'auto', '', { first: 'Anne-Marie', last: 'Smith-Jones' }],
  [
    'Dr. Ada King Lovelace Jr.',
    'auto',
    '',
    { prefix: 'Dr.', first: 'Ada', middle: 'King', last: 'Lovelace', suffix: 'Jr.' },
  ],
  ['Lovelace, Ada', 'auto', '', { first: 'Ada', last: 'Lovelace' }],
  ['Björn Ångström III', 'auto', '', { first: 'Björn', last: 'Ångström', suffix: 'III' }],
  ['Cher', 'auto', '', { first: 'Cher', middle: null, last: null }],
  ['  Grace   Hopper ', 'auto', '', { first: 'Grace', last: 'Hopper' }],
  ['Jean-Luc Picard', 'auto', 'FR', { first: 'Jean-Luc', last: 'Picard' }],
  ['Angela Dorothea Merkel', 'auto', 'DE', { first: 'Angela', middle: 'Dorothea', last: 'Merkel' }],
  ['José María García López', 'spanish', '', { first: 'José', middle: 'María', last: 'García López' }],
  ['José María García López', 'auto', 'ES', { first: 'José', middle: 'María', last: 'García López' }],
  ['José María García López', 'auto', 'mx', { first: 'José', middle: 'María', last: 'García López' }],
  ['Gabriel García Márquez', 'auto', 'CO', { first: 'Gabriel', middle: null, last: 'García Márquez' }],
  ['Pedro Sánchez Pérez-Castejón', 'spanish', '', { first: 'Pedro', last: 'Sánchez Pérez-Castejón' }],
  [
    'María de los Ángeles Fernández de la Vega',
    'spanish',
    '',
    { first: 'María', middle: 'de los Ángeles', last: 'Fernández de la Vega' },
  ],
  ['Juan Carlos Pérez', 'spanish', '', { first: 'Juan', middle: 'Carlos', last: 'Pérez' }],
  ['Ana María Rodríguez', 'spanish', '', { first: 'Ana', middle: 'María', last: 'Rodríguez' }],
  ['Carlos Ruiz Zafón', 'spanish', '', { first: 'Carlos', last: 'Ruiz Zafón' }],
  ['Juan Fernández y García', 'spanish', '', { first: 'Juan', last: 'Fernández y García' }],
  ['Penélope Cruz', 'spanish', '', { first: 'Penélope', last: 'Cruz' }],
  ['João Pedro da Silva Santos', 'auto', 'BR', { first: 'João', middle: 'Pedro', last: 'da Silva Santos' }],
  ['Luiz Inácio Lula da Silva', 'auto', 'BR', { first: 'Luiz', middle: 'Inácio', last: 'Lula da Silva' }],
  ['Dr. José García López', 'spanish', '', { prefix: 'Dr.', first: 'José', last: 'García López' }],
  ['García López, José María', 'spanish', '', { first: 'José', last: 'García López' }],
  ['Nguyễn Văn A', 'auto', '', { first: 'A', middle: 'Văn', last: 'Nguyễn' }],
  ['Nguyễn Thị Minh Khai', 'auto', '', { first: 'Khai', middle: 'Thị Minh', last: 'Nguyễn' }],
  ['Trần Hưng Đạo', 'auto', '', { first: 'Đạo', middle: 'Hưng', last: 'Trần' }],
  ['Phạm Minh Chính', 'auto', '', { first: 'Chính', middle: 'Minh', last: 'Phạm' }],
  ['Tran Van Minh', 'auto', 'VN', { first: 'Minh', middle: 'Van', last: 'Tran' }],
  ['Tran Van Minh', 'family-first', '', { first: 'Minh', middle: 'Van', last: 'Tran' }],
  ['Le Anh', 'auto', 'vn', { first: 'Anh', last: 'Le' }],
  ['王小明', 'auto', '', { first: '小明', middle: null, last: '王' }],
  ['李娜', 'auto', '', { first: '娜', last: '李' }],
  ['欧阳娜娜', 'auto', '', { first: '娜娜', last: '欧阳' }],
  ['司馬遷', 'auto', 'TW', { first: '遷', last: '司馬' }],
  ['王 小明', 'auto', '', { first: '小明', last: '王' }],
  ['Wang Xiaoming', 'auto', 'CN', { first: 'Xiaoming', last: 'Wang' }],
  ['Wang Xiaoming', 'auto', '', { first: 'Wang', last: 'Xiaoming' }],
  ['김민준', 'auto', '', { first: '민준', last: '김' }],
  ['남궁민수', 'auto', 'KR', { first: '민수', last: '남궁' }],
  ['Kim Min-jun', 'auto', 'KR', { first: 'Min-jun', last: 'Kim' }],
  ['山田太郎', 'auto', 'JP', { first: '山田太郎', middle: null, last: null }],
  ['山田 太郎', 'auto', 'JP', { first: '太郎', last: '山田' }],
  ['やまだ たろう', 'auto', '', { first: 'たろう', last: 'やまだ' }],
  ['Yamada Taro', 'family-first', '', { first: 'Taro', last: 'Yamada' }],
  ['Kovács János', 'auto', 'HU', { first: 'János', last: 'Kovács' }],
  ['Ada Lovelace', 'given-first', 'CN', { first: 'Ada', last: 'Lovelace' }],
];

describe('name splitting on lead-list cases of ours', () => {
  it('has at least 50', () => expect(leads.length).toBeGreaterThanOrEqual(50));

  it.each(leads)('%j (%s, %j)', (input, order, country, expected) => {
    expect(splitName(input, order, country)).toMatchObject(expected);
  });
});

describe('name provider options', () => {
  it('reads the country from a column and says which order it used', async () => {
    const config = { input: '{{Full Name}}', country: '{{Country}}' };
    const value = okValue(
      await runProvider(nameProvider, config, { 'Full Name': 'José María García López', Country: 'ES' }),
    );
    expect(value).toEqual({
      prefix: null,
      first: 'José',
      middle: 'María',
      last: 'García López',
      suffix: null,
      nickname: null,
      order: 'spanish',
    });
    expect(nameProvider.templates(nameProvider.configSchema.parse(config))).toEqual([
      '{{Full Name}}',
      '{{Country}}',
    ]);
  });

  it('refuses an order it does not know, naming the choices', () => {
    const parsed = nameProvider.configSchema.safeParse({ nameOrder: 'eastern' });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(['nameOrder']);
  });
});
