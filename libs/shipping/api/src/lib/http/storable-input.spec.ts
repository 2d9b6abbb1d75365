import { findInputProblem, MAX_JSON_DEPTH } from './storable-input';

const nested = (depth: number): unknown => {
  let v: unknown = 'leaf';
  for (let i = 0; i < depth; i++) v = [v];
  return v;
};

describe('findInputProblem', () => {
  it('passes ordinary input, emoji (well-formed surrogate pairs) included', () => {
    expect(findInputProblem({ a: 'x', b: [1, null, true, { c: 'Hippo \ud83e\udd9b', 'd \ud83d\ude00': 'é' }] })).toBeUndefined();
    expect(findInputProblem('plain', 'id')).toBeUndefined();
    expect(findInputProblem(undefined, 'page')).toBeUndefined();
  });

  it.each([
    ['a NUL', 'a\u0000b', /must not contain a NUL character/],
    ['a lone high surrogate', '\ud800x', /unpaired UTF-16 surrogate/],
    ['a lone low surrogate', 'x\udfff', /unpaired UTF-16 surrogate/],
    ['a high surrogate at the end', 'abc\ud83d', /unpaired UTF-16 surrogate/],
  ])('names the field of a string holding %s', (_what, bad, message) => {
    const body = { batch_shipments: [{ shipment: { address_to: { street1: 'ok' } } }, { shipment: { address_to: { name: 'ok', street1: bad } } }] };
    expect(findInputProblem(body)).toEqual({
      field: 'batch_shipments[1].shipment.address_to.street1',
      code: 'invalid_field_value',
      message: expect.stringMatching(message),
    });
  });

  it('names the first problem in document order, array items by index', () => {
    expect(findInputProblem([{ a: 'ok' }, { a: '\u0000', b: '\u0000' }, '\u0000'])?.field).toBe('[1].a');
  });

  it('names a field name that holds one, escaped as JSON writes it', () => {
    expect(findInputProblem({ parameters: { 'k\u0000': 1 } })).toMatchObject({ field: 'parameters.k\\u0000', message: expect.stringMatching(/^the field name/) });
    expect(findInputProblem({ '\ud800': 1 })?.field).toBe('\\ud800');
  });

  it('names a path or query parameter under its own name', () => {
    expect(findInputProblem('abc\u0000', 'id')?.field).toBe('id');
    expect(findInputProblem({ carrier: '\u0000' })?.field).toBe('carrier');
    expect(findInputProblem('\u0000')?.field).toBe('body');
  });

  it(`refuses nesting past ${MAX_JSON_DEPTH} levels, naming where, at any depth without recursion`, () => {
    expect(findInputProblem(nested(MAX_JSON_DEPTH))).toBeUndefined();
    expect(findInputProblem(nested(MAX_JSON_DEPTH + 1))).toEqual({
      field: `[0]`.repeat(MAX_JSON_DEPTH),
      code: 'invalid_json',
      message: expect.stringContaining(`at most ${MAX_JSON_DEPTH} deep`),
    });
    expect(findInputProblem({ a: nested(100_000) })).toMatchObject({ code: 'invalid_json', field: `a${'[0]'.repeat(MAX_JSON_DEPTH - 1)}` });
    expect(findInputProblem(JSON.parse('{"a":'.repeat(5_000) + '1' + '}'.repeat(5_000)))?.code).toBe('invalid_json');
  });
});
