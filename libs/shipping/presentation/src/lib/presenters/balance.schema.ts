import { component } from '../openapi/schema.builders';
import { MONEY_SCHEMA } from './money.schema';

/** `GET /carrier_accounts/{id}/balance`, `POST /carrier_accounts/{id}/add_funds`. */
export const BALANCE_SCHEMA = component('Balance', MONEY_SCHEMA);
