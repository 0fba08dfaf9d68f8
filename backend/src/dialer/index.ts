export * from './errors.ts';
export * from './types.ts';
export * from './signature.ts';
export * from './client.ts';
export { normaliseBaseUrl, parseRetryAfter } from './http.ts';
