import type { FakeAnswer } from '@shipbatch/providers/testing';

/**
 * An error answer in ShipStation v1's shape (ASP.NET Web API): `Message` (often the generic "An
 * error has occurred."), with the reason in `ExceptionMessage` and the .NET type in `ExceptionType`
 * when the server says why. Without `exception` the reason is `Message` itself (as for a 401).
 */
export function fakeShipStationV1Error(status: number, message: string, headers?: Record<string, string>, exception?: string): FakeAnswer {
  const body: Record<string, unknown> = exception ? { Message: message, ExceptionMessage: exception, ExceptionType: 'System.Exception', StackTrace: null } : { Message: message };
  return { status, body, headers };
}

/** A refusal of the request's content: 400, "An error has occurred.", the reason as ExceptionMessage. */
export const fakeShipStationV1Refusal = (reason: string): FakeAnswer => fakeShipStationV1Error(400, 'An error has occurred.', undefined, reason);
