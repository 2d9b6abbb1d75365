import { type DataDirHolder, describeHolder } from './data-dir-holder';


/** Another process holds the data directory (its lock file names it). */
export class DataDirLockedError extends Error {
  /** The holder as its lock file names it, without the token of its local routes. */
  readonly holder: Omit<DataDirHolder, 'token'>;

  constructor(
    readonly dataDir: string,
    holder: DataDirHolder,
  ) {
    super(
      `DATA_DIR ${dataDir} is in use by ${describeHolder(holder)}: one process per data directory. ` +
        `Stop that process, or give this one another DATA_DIR`,
    );
    this.name = 'DataDirLockedError';
    const { token: _secret, ...named } = holder;
    this.holder = named;
  }
}
