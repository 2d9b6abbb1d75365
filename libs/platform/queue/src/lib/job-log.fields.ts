/**
 * What a log line about a failed job carries, in either driver: the queue, the job id, the
 * attempt and every id in the job's data (`batchId` -> `batch_id`, `batchShipmentIds` ->
 * `batch_shipment_ids`), so that a failure can be found by the batch or shipment it was about.
 */
export function jobLogFields(queue: string, jobId: string | number | undefined, attempt: number, data: unknown): Record<string, unknown> {
  return { queue, job_id: jobId, attempt, ...jobDataIds(data) };
}

/** The `...Id` and `...Ids` fields of a job's data, snake_cased. Nothing else (no payloads, no secrets). */
export function jobDataIds(data: unknown): Record<string, IdValue | IdValue[]> {
  const ids: Record<string, IdValue | IdValue[]> = {};
  if (!data || typeof data !== 'object') return ids;
  for (const [key, value] of Object.entries(data)) {
    if (!/(?:Id|Ids)$/.test(key)) continue;
    if (isIdValue(value) || (Array.isArray(value) && value.every(isIdValue))) ids[key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)] = value;
  }
  return ids;
}

type IdValue = string | number;

function isIdValue(value: unknown): value is IdValue {
  return typeof value === 'string' || typeof value === 'number';
}

export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
