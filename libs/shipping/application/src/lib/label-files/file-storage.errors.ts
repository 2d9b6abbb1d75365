/** A key that is not a well-formed storage key (`isValidFileKey`): nothing is read or written. */
export class InvalidFileKeyError extends Error {
  constructor(readonly key: string) {
    super(`invalid file key: ${JSON.stringify(key)}`);
  }
}

/** No file is stored under the key. */
export class FileNotFoundError extends Error {
  constructor(readonly key: string) {
    super(`file not found: ${key}`);
  }
}
