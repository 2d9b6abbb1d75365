/** The holder of a batch's validation lease lost it (it ran out, and another validator may hold the batch). */
export class ValidationLeaseLostError extends Error {
  constructor(readonly batchId: string) {
    super(`the validation lease of batch ${batchId} was lost: another validator may hold the batch`);
    this.name = 'ValidationLeaseLostError';
  }
}
