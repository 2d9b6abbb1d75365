/**
 * Renders the object an event is about as the API's GET shows it (the delivery's `data`); a
 * batch event's object carries the status the event announced (`eventPayload.status`), though
 * the batch may have moved on (VALID -> PURCHASING) by the time the first attempt is made.
 */
export interface WebhookObjectRenderer {
  /** Each item's object, in order (null when gone); transactions read in one query a tenant. */
  renderMany(items: ReadonlyArray<WebhookObjectRef>): Promise<Array<unknown | null>>;
}

export interface WebhookObjectRef {
  tenantId: string;
  event: string;
  objectId: string;
  eventPayload: Record<string, unknown>;
}
