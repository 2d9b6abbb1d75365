/** Where label files live (local disk under DATA_DIR by default). */
export interface LabelFileStore {
  put(key: string, content: Buffer, contentType: string): Promise<void>;
  /** A URL the client can download from. */
  urlFor(key: string): string;
}
