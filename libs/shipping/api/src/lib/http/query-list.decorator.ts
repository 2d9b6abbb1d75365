const QUERY_LISTS = Symbol('shipbatch:query-lists');

/**
 * Marks a query DTO's property as a list: the one kind of query parameter that may be given
 * more than once (`refund_status=a&refund_status=b`). Every other repeated parameter is a 400
 * (QueryParametersInterceptor).
 */
export function QueryList(): PropertyDecorator {
  return (target: object, property: string | symbol) => {
    const cls = target.constructor;
    const own: string[] = Reflect.getOwnMetadata(QUERY_LISTS, cls) ?? [...(Reflect.getMetadata(QUERY_LISTS, cls) ?? [])];
    Reflect.defineMetadata(QUERY_LISTS, [...own, String(property)], cls);
  };
}

/** The list parameters a query DTO declares (`@QueryList`). */
export function queryListsOf(cls: unknown): readonly string[] {
  return typeof cls === 'function' ? (Reflect.getMetadata(QUERY_LISTS, cls) ?? []) : [];
}
