/** A label the fake sold. TODO: what the provider's label carries that tests look at. */
export interface FakeShipStationV1Sale {
  labelId: string;
  /** Our reference, as the adapter sends it. */
  reference: string;
  trackingNumber: string;
  at: number;
}

/** What the fake ShipStation v1 keeps: the API keys it knows and the labels it sold. */
export class FakeShipStationV1State {
  readonly apiKeys = new Set<string>();
  readonly sales: FakeShipStationV1Sale[] = [];
}
