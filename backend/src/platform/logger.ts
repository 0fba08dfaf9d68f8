import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * Redaction is configuration, not memory: every key below is censored wherever it appears
 * (two levels deep and in request headers), so a new log line cannot leak a token by accident.
 */
const SECRET_KEYS = [
  'accessToken',
  'access_token',
  'refreshToken',
  'refresh_token',
  'apiToken',
  'api_token',
  'token',
  'secret',
  'clientSecret',
  'client_secret',
  'password',
  'authorization',
  'phone',
  'mobilephone',
  'email',
  'from_number',
  'to_number',
  'fromNumber',
  'toNumber',
  'phoneNumber',
];

const paths = [
  ...SECRET_KEYS,
  ...SECRET_KEYS.map((key) => `*.${key}`),
  ...SECRET_KEYS.map((key) => `*.*.${key}`),
  'req.headers.authorization',
  'req.headers["x-hubspot-signature"]',
  'req.headers["x-hubspot-signature-v3"]',
  'req.headers["dialer-signature"]',
];

/**
 * Without a destination, lines go to stdout asynchronously: lines logged while a write is in
 * flight go out together in the next one (flushed when the process exits). At thousands of
 * requests per second a synchronous write per line was an avoidable cost on the request path.
 */
export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  return pino(
    {
      level,
      base: { service: 'dialer-sync' },
      redact: { paths, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    (destination as pino.DestinationStream | undefined) ?? pino.destination({ dest: 1, sync: false }),
  );
}
