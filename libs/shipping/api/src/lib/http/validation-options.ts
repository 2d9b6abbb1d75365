import type { ValidatorOptions } from 'class-validator';

/**
 * How every body and query is validated (the global ValidationPipe, array bodies, inline
 * addresses and parcels): a field no DTO declares is refused with 400 naming it
 * (`unknown_field`), never stripped in silence. Fields of Shippo's and ShipStation's shapes
 * that change nothing about what is bought are declared in the DTOs with `@AcceptedIgnored`.
 */
export const STRICT_VALIDATION: ValidatorOptions & { transform: true; validationError: { target: false; value: true } } = {
  whitelist: true,
  forbidNonWhitelisted: true,
  transform: true,
  validationError: { target: false, value: true },
};
