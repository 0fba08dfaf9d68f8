import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../platform/config.ts';
import type { AppContext } from '../platform/context.ts';
import { createLogger } from '../platform/logger.ts';
import { createRuntime } from '../runtime.ts';
import { registerRecordingUrl, type RegistrationAction } from './registration.ts';

const RELEASE_FILE = 'release.json';

function releaseOrigin(release: Record<string, unknown>): string {
  const origin = typeof release.origin === 'string' ? release.origin.replace(/\/$/, '') : '';
  if (!/^https:\/\/[^/]+$/.test(origin))
    throw new Error(`${RELEASE_FILE}: origin must be an https origin (run npm run project:set-origin)`);
  return origin;
}

/**
 * `npm run hubspot:register-recordings [-- --portal <id>]`: sets the app's recording URL in HubSpot
 * to `<release.json origin>/hubspot/recordings/%s` (only what differs), then records it in
 * release.json as `recordingUrl`, which `npm run project:check -- --release` compares with the origin.
 */
export async function registerRecordingsForRelease(
  ctx: AppContext,
  rootDir: string,
  args: string[] = [],
): Promise<{ url: string; action: RegistrationAction; portalId: number }> {
  const portalArg = args.indexOf('--portal');
  const portalId = portalArg >= 0 ? Number(args[portalArg + 1]) : undefined;
  if (portalId !== undefined && !Number.isSafeInteger(portalId))
    throw new Error('--portal needs a HubSpot portal id');
  const file = path.join(rootDir, RELEASE_FILE);
  const release = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  const result = await registerRecordingUrl(ctx, releaseOrigin(release), { portalId });
  if (release.recordingUrl !== result.url)
    writeFileSync(file, `${JSON.stringify({ ...release, recordingUrl: result.url }, null, 2)}\n`);
  return result;
}

async function main(rootDir: string, args: string[]) {
  const config = loadConfig();
  const runtime = await createRuntime(config, { logger: createLogger(config.logLevel) });
  try {
    const { url, action, portalId } = await registerRecordingsForRelease(runtime.ctx, rootDir, args);
    console.log(`recording URL ${url}: ${action} (with portal ${portalId}'s token); release.json records it`);
  } finally {
    await runtime.stop();
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const rootDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
  await main(rootDir, process.argv.slice(2)).catch((error: unknown) => {
    console.error((error as Error).message);
    process.exitCode = 2;
  });
}
