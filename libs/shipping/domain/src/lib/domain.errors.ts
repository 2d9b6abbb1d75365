/** Base of the errors the domain raises; the HTTP layer maps each kind to a status. */
export abstract class DomainError extends Error {
  abstract readonly kind: 'conflict' | 'not_found' | 'invalid_input' | 'unavailable';
  constructor(
    message: string,
    readonly code: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The request is well-formed but the object's state forbids it (HTTP 409). */
export class ConflictError extends DomainError {
  readonly kind = 'conflict' as const;
}

/** The object does not exist for this tenant (HTTP 404, never 403). */
export class NotFoundError extends DomainError {
  readonly kind = 'not_found' as const;
  constructor(objectName: string, id: string) {
    super(`${objectName} '${id}' was not found`, `${objectName.toLowerCase().replace(/\s+/g, '_')}_not_found`);
  }
}

/** Input the DTO layer could not catch (it needs data), naming the field (HTTP 400). */
export class InvalidInputError extends DomainError {
  readonly kind = 'invalid_input' as const;
}

/**
 * Something the request needs cannot be reached now, for example the provider that keeps the
 * balance (HTTP 503, with `Retry-After` from `retryAfterMs` when known).
 */
export class UnavailableError extends DomainError {
  readonly kind = 'unavailable' as const;
  constructor(
    message: string,
    code: string,
    readonly retryAfterMs?: number,
  ) {
    super(message, code);
  }
}
