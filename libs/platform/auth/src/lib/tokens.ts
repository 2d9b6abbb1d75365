/** The API's RequestLimiter (./rate-limit/request-limiter), or null when `API_RATE_LIMIT_PER_MINUTE` is 0. */
export const REQUEST_LIMITER = Symbol('REQUEST_LIMITER');
