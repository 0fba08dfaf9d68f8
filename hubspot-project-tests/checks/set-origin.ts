import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { RELEASE_FILE, applyRelease, readRelease, releaseSchema } from './release.ts';

/**
 * `npm run project:set-origin [-- https://origin] [--support-email x] [--support-url x]
 * [--support-phone x] [--documentation-url x]`: updates release.json with what is given, then
 * writes release.json into every `*-hsmeta.json`, app/shared/config.ts and app/local.example.json.
 */
const FLAGS: Record<string, 'supportEmail' | 'supportUrl' | 'supportPhone' | 'documentationUrl'> = {
  '--support-email': 'supportEmail',
  '--support-url': 'supportUrl',
  '--support-phone': 'supportPhone',
  '--documentation-url': 'documentationUrl',
};

export async function setRelease(rootDir: string, args: string[]): Promise<{ files: string[] }> {
  const current = JSON.parse(readFileSync(path.join(rootDir, RELEASE_FILE), 'utf8')) as Record<
    string,
    unknown
  >;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (FLAGS[arg]) current[FLAGS[arg]] = args[++i];
    else if (!arg.startsWith('--')) current.origin = arg;
    else throw new Error(`unknown option ${arg}`);
  }
  const parsed = releaseSchema.safeParse(current);
  if (!parsed.success)
    throw new Error(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n'));
  writeFileSync(path.join(rootDir, RELEASE_FILE), `${JSON.stringify(parsed.data, null, 2)}\n`);
  return { files: await applyRelease(rootDir, readRelease(rootDir)) };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const rootDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
  try {
    const { files } = await setRelease(rootDir, process.argv.slice(2));
    const release = readRelease(rootDir);
    console.log(`release: ${release.origin}\n  ${files.join('\n  ') || '(nothing to change)'}`);
    console.log(
      'Set PUBLIC_BASE_URL to the same origin on the backend, then run npm run project:check -- --release.',
    );
  } catch (error) {
    console.error((error as Error).message);
    process.exit(2);
  }
}
