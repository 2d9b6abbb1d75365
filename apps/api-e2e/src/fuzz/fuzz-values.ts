/**
 * The malformed values the fuzzer puts in JSON bodies, path parameters and query parameters.
 * Each has a short label, so a 5xx names what caused it.
 */

/** JSON text put in a body as it is (numbers JSON.stringify cannot write, deep nesting, odd keys). */
export class RawJson {
  constructor(readonly text: string) {}
}

export const deepArray = (depth: number) => new RawJson('['.repeat(depth) + ']'.repeat(depth));
export const deepObject = (depth: number) => new RawJson('{"a":'.repeat(depth) + '1' + '}'.repeat(depth));

export interface Labelled<T> {
  label: string;
  value: T;
}

const v = <T>(label: string, value: T): Labelled<T> => ({ label, value });

/** Values put in place of one field (a leaf or a whole object/array) of a valid body. */
export const FIELD_VALUES: Labelled<unknown>[] = [
  v('null', null),
  v('true', true),
  v('0', 0),
  v('-1', -1),
  v('1.5', 1.5),
  v('1e308', 1e308),
  v('raw 1e400', new RawJson('1e400')),
  v('raw 99999999999999999999', new RawJson('99999999999999999999')),
  v('raw -0', new RawJson('-0')),
  v('""', ''),
  v('" "', ' '),
  v('"-1"', '-1'),
  v('"0"', '0'),
  v('"abc"', 'abc'),
  v('"NaN"', 'NaN'),
  v('"Infinity"', 'Infinity'),
  v('"1e400"', '1e400'),
  v('"99999999999999999999"', '99999999999999999999'),
  v('NUL', '\u0000'),
  v('a NUL b', 'a\u0000b'),
  v('lone high surrogate', '\ud800x'),
  v('lone low surrogate', 'x\udfff'),
  v('trailing high surrogate', 'abc\ud83d'),
  v('valid astral char', 'ok \ud834\udd1e'),
  v('100k chars', 'x'.repeat(100_000)),
  v('"%00"', '%00'),
  v('sql', "'; DROP TABLE batches;--"),
  v('[]', []),
  v('[[]]', [[]]),
  v('[null]', [null]),
  v('[{}]', [{}]),
  v('[1]', [1]),
  v('{}', {}),
  v('{"": NUL}', { '': '\u0000' }),
  v('__proto__ object', new RawJson('{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}}}')),
  v('array nested 3000 deep', deepArray(3000)),
  v('object nested 3000 deep', deepObject(3000)),
];

/** Path parameter values, already percent-encoded as they go in the URL. */
export const PATH_VALUES: Labelled<string>[] = [
  v('%00', '%00'),
  v('a%00b', 'a%00b'),
  v('id%00', '{id}%00'),
  v('encoded lone surrogate', '%ED%A0%80'),
  v('invalid UTF-8', '%FF%FE'),
  v('bad escape', '%zz'),
  v('10k chars', 'x'.repeat(10_000)),
  v('dot dot', '..%2F..%2Fetc'),
  v('space', '%20'),
  v('-1', '-1'),
  v('huge number', '99999999999999999999'),
  v('null', 'null'),
  v('emoji', '%F0%9F%98%80'),
  v('quote', '%27%22'),
];

/** Query parameter values as they go in the URL (`name=<value>`); `{name}` is the parameter's name. */
export const QUERY_VALUES: Labelled<string>[] = [
  v('%00', '{name}=%00'),
  v('a%00b', '{name}=a%00b'),
  v('encoded lone surrogate', '{name}=%ED%A0%80'),
  v('invalid UTF-8', '{name}=%FF'),
  v('empty', '{name}='),
  v('no value', '{name}'),
  v('-1', '{name}=-1'),
  v('0', '{name}=0'),
  v('1.5', '{name}=1.5'),
  v('1e3', '{name}=1e3'),
  v('2^53+1', '{name}=9007199254740993'),
  v('99999999999999999999', '{name}=99999999999999999999'),
  v('1e400', '{name}=1e400'),
  v('abc', '{name}=abc'),
  v('NaN', '{name}=NaN'),
  v('10k chars', `{name}=${'9'.repeat(10_000)}`),
  v('repeated', '{name}=1&{name}=2'),
  v('array form', '{name}[]=1'),
  v('object form', '{name}[a]=1'),
  v('deep object form', `{name}${'[a]'.repeat(30)}=1`),
];

/** Whole bodies, with their content type (`undefined`: no Content-Type header). */
export const BODY_VALUES: Array<Labelled<{ body: string | Buffer; contentType?: string }>> = [
  v('empty', { body: '', contentType: 'application/json' }),
  v('null', { body: 'null', contentType: 'application/json' }),
  v('string', { body: '"str"', contentType: 'application/json' }),
  v('number', { body: '123', contentType: 'application/json' }),
  v('true', { body: 'true', contentType: 'application/json' }),
  v('[]', { body: '[]', contentType: 'application/json' }),
  v('{}', { body: '{}', contentType: 'application/json' }),
  v('[[]]', { body: '[[]]', contentType: 'application/json' }),
  v('[null]', { body: '[null]', contentType: 'application/json' }),
  v('truncated', { body: '{"a":', contentType: 'application/json' }),
  v('not JSON', { body: '{', contentType: 'application/json' }),
  v('NUL byte raw', { body: '{"a":"\u0000"}', contentType: 'application/json' }),
  v('BOM', { body: '\ufeff{}', contentType: 'application/json' }),
  v('invalid UTF-8', { body: Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xed, 0xa0, 0x80, 0xff, 0x22, 0x7d]), contentType: 'application/json' }),
  v('array nested 2000 deep', { body: deepArray(2000).text, contentType: 'application/json' }),
  v('array nested 5000 deep', { body: deepArray(5000).text, contentType: 'application/json' }),
  v('object nested 2000 deep', { body: deepObject(2000).text, contentType: 'application/json' }),
  v('object nested 5000 deep', { body: deepObject(5000).text, contentType: 'application/json' }),
  v('array nested 100000 deep', { body: deepArray(100_000).text, contentType: 'application/json' }),
  v('text/plain', { body: '{}', contentType: 'text/plain' }),
  v('form', { body: 'a=1&b[c]=2', contentType: 'application/x-www-form-urlencoded' }),
  v('no content type', { body: '{}' }),
  v('charset latin1', { body: '{}', contentType: 'application/json; charset=latin1' }),
  v('charset utf-16', { body: '{}', contentType: 'application/json; charset=utf-16' }),
  v('+json', { body: '{}', contentType: 'application/vnd.api+json' }),
  v('odd content type', { body: '{}', contentType: ';;;' }),
];

/** A body past the 32 MB limit (sent once per run, to one route). */
export const HUGE_BODY = () => `{"a":"${'x'.repeat(33 * 1024 * 1024)}"}`;
