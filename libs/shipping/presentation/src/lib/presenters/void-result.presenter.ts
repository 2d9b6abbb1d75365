import type { VoidResult } from '@shipbatch/providers/core';

export function presentVoid(result: VoidResult) {
  return { approved: result.approved, message: result.message };
}
