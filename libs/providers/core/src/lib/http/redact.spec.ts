import { inspect } from 'node:util';
import { ProviderValidationError } from '../provider.errors';
import { plainCause, redactError, redactSecrets, redactValue } from './redact';

describe('redactSecrets', () => {
  it('replaces every occurrence of every secret', () => {
    expect(redactSecrets('key abcd1234 and abcd1234 and zz-secret', ['abcd1234', 'zz-secret'])).toBe(
      'key [redacted] and [redacted] and [redacted]',
    );
  });

  it('ignores empty secrets and secrets shorter than 4 characters', () => {
    expect(redactSecrets('a b abc abcd', ['', 'a', 'abc'])).toBe('a b abc abcd');
    expect(redactSecrets('a b abc abcd', ['abcd'])).toBe('a b abc [redacted]');
  });

  it('replaces a longer secret whole before a shorter one it contains', () => {
    expect(redactSecrets('Bearer tok-12345', ['tok-12345', 'Bearer tok-12345'])).toBe('[redacted]');
  });

  it('treats secrets literally, not as patterns', () => {
    expect(redactSecrets('x a.b*c+d x', ['a.b*c+d'])).toBe('x [redacted] x');
    expect(redactSecrets('aXbYc*d', ['a.b.c*d'])).toBe('aXbYc*d');
  });
});

describe('redactValue and redactError', () => {
  const secret = 'sk_test_998877';

  it('copies objects and arrays with keys and values redacted, and survives cycles', () => {
    const cyclic: Record<string, unknown> = { a: `x ${secret}`, [secret]: 1, list: [secret, 2, null] };
    cyclic['self'] = cyclic;
    const copy = redactValue(cyclic, [secret]) as Record<string, unknown>;
    expect(copy).toEqual({ a: 'x [redacted]', '[redacted]': 1, list: ['[redacted]', 2, null], self: '[circular]' });
    expect(cyclic['a']).toBe(`x ${secret}`);
  });

  it('turns an Error into a plain Error with a redacted message and its code', () => {
    const error = Object.assign(new TypeError(`boom ${secret}`), { code: 'ECONNRESET', config: { secret } });
    const cause = plainCause(error, [secret]);
    expect(cause.constructor).toBe(Error);
    expect(cause).toMatchObject({ message: 'boom [redacted]', code: 'ECONNRESET' });
    expect(inspect(cause, { depth: 10 })).not.toContain(secret);
  });

  it('redacts a ProviderError in place: message, stack, details, cause', () => {
    const error = new ProviderValidationError(`bad ${secret}`, {
      details: { field: secret },
      cause: new Error(`inner ${secret}`),
    });
    expect(redactError(error, [secret])).toBe(error);
    expect(error.message).toBe('bad [redacted]');
    expect(error.details).toEqual({ field: '[redacted]' });
    for (const text of [JSON.stringify(error), inspect(error, { depth: 10 }), error.stack ?? '']) {
      expect(text).not.toContain(secret);
    }
  });
});
