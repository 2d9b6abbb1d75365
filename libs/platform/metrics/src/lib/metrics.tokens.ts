/** Injection token of this process's Readiness. */
export const READINESS = Symbol('READINESS');
