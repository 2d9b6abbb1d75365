/** The process that holds a data directory, as `DATA_DIR/service.json` records it. */
export interface DataDirHolder {
  pid: number;
  /** Tells this run of `pid` from a later process given the same pid (process-identity.ts). */
  processStart?: string;
  /** Random: tells this holding from any other, in this process too. */
  nonce: string;
  startedAt: string;
  /** The holder's command line (its script, relative to its working directory). */
  command: string;
  /** The port the holder listens on; null while it starts, and for commands that do not listen. */
  port: number | null;
  /** The token of the holder's local routes (`POST /local/api_keys`); null until it listens. */
  token: string | null;
}

/** `process 123 (dist/out-tsc/apps/api/src/main.js, started ..., listening on port 3000)`. */
export function describeHolder(holder: Omit<DataDirHolder, 'token'>): string {
  const details = [holder.command, `started ${holder.startedAt}`, holder.port === null ? 'not listening' : `listening on port ${holder.port}`];
  return `process ${holder.pid}${holder.pid === process.pid ? ' (this one)' : ''} (${details.join(', ')})`;
}
