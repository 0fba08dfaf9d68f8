// The OAuth state codec lives in platform/ (it depends on nothing but crypto and the database).
export { STATE_TTL_MS, createStateCodec, type StateCodec } from '../platform/oauth-state.ts';
