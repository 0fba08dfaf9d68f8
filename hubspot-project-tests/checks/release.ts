import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as prettier from 'prettier';
import { z } from 'zod';
import { recordingUrlTemplate } from '../../backend/src/recordings/recording-path.ts';
import type { Problem } from './problems.ts';
import { listFiles, readBackendOrigin } from './ui-code.ts';

/**
 * The release configuration, in one place: `release.json` at the repository root (outside srcDir,
 * so it is not uploaded). `npm run project:set-origin` writes it into every `*-hsmeta.json`,
 * app/shared/config.ts and app/local.example.json. The OAuth redirect URL is `<origin>/oauth/callback`
 * (the backend's route), so it follows the origin.
 */
const httpsOrigin = z
  .url()
  .refine((value) => value.startsWith('https://') && new URL(value).origin === value.replace(/\/$/, ''), {
    message: 'must be an https origin without a path, e.g. https://dialer-sync.your-company.com',
  })
  .transform((value) => value.replace(/\/$/, ''));
const httpsUrl = z.url().refine((value) => value.startsWith('https://'), 'must be an https URL');

export const releaseSchema = z.strictObject({
  origin: httpsOrigin,
  supportEmail: z.email(),
  supportUrl: httpsUrl,
  supportPhone: z
    .string()
    .regex(/^\+[1-9][\d ()-]{6,20}$/, 'must be an international number, e.g. +61 2 9374 4000'),
  documentationUrl: httpsUrl,
  /** Written by `npm run hubspot:register-recordings`: the recording URL it set in HubSpot. */
  recordingUrl: z.string().optional(),
});
export type Release = z.infer<typeof releaseSchema>;

export const RELEASE_FILE = 'release.json';
export const redirectUrlOf = (origin: string) => `${origin}/oauth/callback`;

export function readRelease(rootDir: string): Release {
  const file = path.join(rootDir, RELEASE_FILE);
  const parsed = releaseSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success)
    throw new Error(
      `${RELEASE_FILE}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  return parsed.data;
}

const srcDirOf = (rootDir: string) =>
  path.join(
    rootDir,
    (JSON.parse(readFileSync(path.join(rootDir, 'hsproject.json'), 'utf8')) as { srcDir: string }).srcDir,
  );

/** Writes the release configuration into the HubSpot project; returns the files it changed. */
export async function applyRelease(rootDir: string, release: Release): Promise<string[]> {
  const srcDir = srcDirOf(rootDir);
  const from = readBackendOrigin(srcDir);
  if (!from) throw new Error('no BACKEND_ORIGIN in app/shared/config.ts');
  const appDir = path.join(srcDir, 'app');
  const changed: string[] = [];
  const rewrite = async (file: string, change: (text: string) => string) => {
    if (!existsSync(file)) return;
    const text = readFileSync(file, 'utf8');
    const next = change(text);
    if (next === text) return;
    const options = await prettier.resolveConfig(file);
    writeFileSync(file, await prettier.format(next, { ...options, filepath: file }));
    changed.push(path.relative(srcDir, file));
  };
  const moveOrigin = (text: string) => text.split(from).join(release.origin);
  await rewrite(path.join(appDir, 'shared', 'config.ts'), moveOrigin);
  await rewrite(path.join(appDir, 'local.example.json'), moveOrigin);
  for (const file of listFiles(appDir, (name) => name.endsWith('-hsmeta.json'))) {
    await rewrite(file, (text) => {
      const json = JSON.parse(moveOrigin(text)) as { type?: string; config?: Record<string, unknown> };
      if (json.type !== 'app' || !json.config) return moveOrigin(text);
      const config = json.config as {
        auth?: { redirectUrls?: string[] };
        permittedUrls?: { fetch?: string[] };
        support?: Record<string, string>;
      };
      if (config.auth) config.auth.redirectUrls = [redirectUrlOf(release.origin)];
      if (config.permittedUrls) config.permittedUrls.fetch = [release.origin];
      config.support = {
        supportEmail: release.supportEmail,
        documentationUrl: release.documentationUrl,
        supportUrl: release.supportUrl,
        supportPhone: release.supportPhone,
      };
      const next = `${JSON.stringify(json, null, 2)}\n`;
      // Same content: keep the file as it is written.
      return JSON.stringify(JSON.parse(text)) === JSON.stringify(json) ? text : next;
    });
  }
  return changed;
}

const PLACEHOLDER_HOST = /(^|\.)(example\.(com|org|net)|example|test|invalid|localhost)$/i;
/** NANP numbers reserved for fiction (555-0100 to 555-0199) and runs of one digit. */
const PLACEHOLDER_PHONE = /^\+?1?[\s().-]*\d{3}[\s().-]*555[\s.-]*01\d\d$|^\+?(\d)\1{6,}$/;

/** What keeps the project from a release: placeholder URLs, emails or phone numbers. */
export function releasePlaceholders(rootDir: string): Problem[] {
  const srcDir = srcDirOf(rootDir);
  const files = [
    path.join(rootDir, RELEASE_FILE),
    path.join(srcDir, 'app', 'shared', 'config.ts'),
    ...listFiles(path.join(srcDir, 'app'), (name) => name.endsWith('-hsmeta.json')),
  ];
  const problems: Problem[] = [];
  for (const file of files) {
    if (!existsSync(file)) continue;
    const text = readFileSync(file, 'utf8');
    const rel = path.relative(rootDir, file);
    const hosts = [...text.matchAll(/https?:\/\/([^/"'\s:]+)|@([A-Za-z0-9.-]+\.[A-Za-z]+)/g)].map(
      (m) => m[1] ?? m[2]!,
    );
    for (const host of new Set(hosts.filter((h) => PLACEHOLDER_HOST.test(h))))
      problems.push({
        check: 'release',
        file: rel,
        message: `placeholder host ${host}: run npm run project:set-origin with the real values`,
      });
    for (const [, phone] of text.matchAll(/"supportPhone"\s*:\s*"([^"]*)"/g)) {
      if (PLACEHOLDER_PHONE.test(phone!.replace(/\s/g, '')))
        problems.push({
          check: 'release',
          file: rel,
          message: `placeholder phone number ${phone}: set supportPhone in ${RELEASE_FILE}`,
        });
    }
  }
  return problems;
}

/**
 * A release needs HubSpot to know where to ask for recordings: `npm run hubspot:register-recordings`
 * records in release.json the URL it set, and it must be the one of release.json's origin.
 */
export function recordingRegistration(rootDir: string): Problem[] {
  if (!existsSync(path.join(rootDir, RELEASE_FILE))) return [];
  let release: Release;
  try {
    release = readRelease(rootDir);
  } catch {
    return []; // releaseDrift reports it
  }
  const expected = recordingUrlTemplate(release.origin);
  if (release.recordingUrl === expected) return [];
  const message = release.recordingUrl
    ? `recordingUrl ${release.recordingUrl} ≠ ${expected}: run npm run hubspot:register-recordings`
    : `no recording URL registered for ${release.origin}: run npm run hubspot:register-recordings`;
  return [{ check: 'release', file: RELEASE_FILE, message }];
}

/** The project files say what release.json says (always checked, release or not). */
export function releaseDrift(rootDir: string): Problem[] {
  if (!existsSync(path.join(rootDir, RELEASE_FILE))) return [];
  let release: Release;
  try {
    release = readRelease(rootDir);
  } catch (error) {
    return [{ check: 'release', file: RELEASE_FILE, message: (error as Error).message }];
  }
  const srcDir = srcDirOf(rootDir);
  const problems: Problem[] = [];
  const origin = readBackendOrigin(srcDir);
  if (origin !== release.origin)
    problems.push({
      check: 'release',
      file: 'app/shared/config.ts',
      message: `BACKEND_ORIGIN ${origin} ≠ ${RELEASE_FILE} origin ${release.origin}: run npm run project:set-origin`,
    });
  const appFile = path.join(srcDir, 'app', 'app-hsmeta.json');
  if (existsSync(appFile)) {
    const support = (
      JSON.parse(readFileSync(appFile, 'utf8')) as { config?: { support?: Record<string, string> } }
    ).config?.support;
    for (const key of ['supportEmail', 'supportUrl', 'supportPhone', 'documentationUrl'] as const) {
      if (support?.[key] !== release[key])
        problems.push({
          check: 'release',
          file: 'app/app-hsmeta.json',
          message: `support.${key} ≠ ${RELEASE_FILE}: run npm run project:set-origin`,
        });
    }
  }
  return problems;
}
