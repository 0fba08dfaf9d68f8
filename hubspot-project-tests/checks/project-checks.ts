import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { translate } from '@hubspot/project-parsing-lib/translate';
import type { RouteSpec } from '@dialer-sync/ui-shared/api';
import {
  ALLOWED_TOP_LEVEL_KEYS,
  CONFIG_SCHEMAS,
  FOLDER_TYPES,
  SINGULAR_TYPES,
  UID_PATTERN,
} from './hsmeta-shapes.ts';
import type { AppConfig } from './hsmeta-shapes.ts';
import type { Problem } from './problems.ts';
import { recordingRegistration, releaseDrift, releasePlaceholders } from './release.ts';
import { missingRoutes, scanBackendRoutes } from './routes.ts';
import { checkUiCode, listFiles, readBackendOrigin } from './ui-code.ts';

export interface Component {
  file: string;
  folder: string;
  json: { uid?: unknown; type?: unknown; config?: unknown; [key: string]: unknown };
}
export interface ProjectCheckOptions {
  /** The folder holding hsproject.json (and backend/src for the route scan). */
  rootDir: string;
  requiredScopes: readonly string[];
  uiRoutes: Record<string, RouteSpec>;
  /** `METHOD /path` routes allowed to be missing from the backend for now. */
  pendingRoutes?: readonly string[];
  /** For a release: also refuse placeholder URLs, emails and phone numbers (release.json). */
  release?: boolean;
}
export interface ProjectCheckResult {
  problems: Problem[];
  components: Component[];
  /** UI routes the backend does not register (pending ones included). */
  missingRoutes: string[];
}

const problem = (check: string, file: string, message: string): Problem => ({ check, file, message });

export function readProjectFile(rootDir: string): {
  srcDir: string;
  platformVersion: string;
  problems: Problem[];
} {
  const file = path.join(rootDir, 'hsproject.json');
  const problems: Problem[] = [];
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch (error) {
    problems.push(problem('hsproject', 'hsproject.json', `unreadable: ${(error as Error).message}`));
  }
  for (const key of ['name', 'srcDir', 'platformVersion']) {
    if (typeof json[key] !== 'string' || json[key] === '')
      problems.push(problem('hsproject', 'hsproject.json', `"${key}" must be a non-empty string`));
  }
  const srcDir = path.join(rootDir, String(json.srcDir ?? ''));
  if (typeof json.srcDir === 'string' && !existsSync(srcDir))
    problems.push(problem('hsproject', 'hsproject.json', `srcDir ${json.srcDir} does not exist`));
  problems.push(...checkOnlyTheAppIsUploaded(srcDir));
  return { srcDir, platformVersion: String(json.platformVersion ?? ''), problems };
}

/** `hs project upload` zips the whole srcDir: tests and tools live outside it (hubspot-project-tests/). */
export function checkOnlyTheAppIsUploaded(srcDir: string): Problem[] {
  if (!existsSync(srcDir)) return [];
  return readdirSync(srcDir)
    .filter((entry) => entry !== 'app' && !UPLOAD_IGNORED.has(entry))
    .map((entry) =>
      problem(
        'srcDir',
        entry,
        'sits in srcDir and would be uploaded with the app: move it (tests and checks go in hubspot-project-tests/)',
      ),
    );
}
const UPLOAD_IGNORED = new Set(['.gitignore', '.DS_Store']);

export function loadComponents(srcDir: string): { components: Component[]; problems: Problem[] } {
  const components: Component[] = [];
  const problems: Problem[] = [];
  for (const full of listFiles(srcDir, (file) => file.endsWith('-hsmeta.json'))) {
    const file = path.relative(srcDir, full);
    const folder = path.dirname(file).split(path.sep).join('/');
    if (!(folder in FOLDER_TYPES)) {
      problems.push(
        problem(
          'placement',
          file,
          `HubSpot skips it: components live in ${Object.keys(FOLDER_TYPES).join(', ')}`,
        ),
      );
      continue;
    }
    try {
      components.push({ file, folder, json: JSON.parse(readFileSync(full, 'utf8')) as Component['json'] });
    } catch (error) {
      problems.push(
        problem('json', file, `invalid JSON (HubSpot drops it silently): ${(error as Error).message}`),
      );
    }
  }
  return { components, problems };
}

export function checkComponents(srcDir: string, components: Component[]): Problem[] {
  const problems: Problem[] = [];
  const uids = new Map<string, string>();
  for (const { file, folder, json } of components) {
    for (const key of Object.keys(json)) {
      if (!ALLOWED_TOP_LEVEL_KEYS.includes(key))
        problems.push(problem('keys', file, `unexpected top-level key "${key}"`));
    }
    for (const key of ['uid', 'type', 'config']) {
      if (!(key in json)) problems.push(problem('keys', file, `missing required key "${key}"`));
    }
    if (typeof json.uid !== 'string' || !UID_PATTERN.test(json.uid)) {
      problems.push(problem('uid', file, 'uid must be 1–64 letters, digits, ".", "-" or "_"'));
    } else if (uids.has(json.uid)) {
      problems.push(problem('uid', file, `uid "${json.uid}" is also used by ${uids.get(json.uid)}`));
    } else uids.set(json.uid, file);
    const expectedType = FOLDER_TYPES[folder]!;
    if (json.type !== expectedType) {
      problems.push(
        problem(
          'type',
          file,
          `type must be "${expectedType}" in ${folder}/ (found ${JSON.stringify(json.type)})`,
        ),
      );
      continue;
    }
    const parsed = CONFIG_SCHEMAS[expectedType]!.safeParse(json.config);
    if (!parsed.success) {
      for (const issue of parsed.error.issues)
        problems.push(
          problem('config', file, `config.${issue.path.join('.') || '(root)'}: ${issue.message}`),
        );
    }
    const entrypoint = (json.config as { entrypoint?: unknown } | undefined)?.entrypoint;
    if (typeof entrypoint === 'string' && !existsSync(path.join(srcDir, entrypoint)))
      problems.push(problem('config', file, `entrypoint ${entrypoint} does not exist`));
  }
  for (const type of SINGULAR_TYPES) {
    const count = components.filter((component) => component.json.type === type).length;
    if (count > 1)
      problems.push(problem('count', 'app/', `${count} "${type}" components; HubSpot allows one`));
  }
  if (!components.some((component) => component.json.type === 'app'))
    problems.push(problem('count', 'app/', 'no app component (app/app-hsmeta.json)'));
  return problems;
}

/** Scopes, redirect URL, permitted origins: the app definition against the backend and the UI. */
export function checkContracts(
  srcDir: string,
  components: Component[],
  requiredScopes: readonly string[],
): Problem[] {
  const problems: Problem[] = [];
  const app = components.find((component) => component.json.type === 'app');
  const config = app?.json.config as Partial<AppConfig> | undefined;
  if (!app || !config) return problems;
  const file = app.file;
  const origin = readBackendOrigin(srcDir);
  if (!origin) return [problem('origin', 'app/shared/config.ts', 'no BACKEND_ORIGIN found')];

  const scopes = [...(config.auth?.requiredScopes ?? [])].sort();
  const expected = [...requiredScopes].sort();
  if (JSON.stringify(scopes) !== JSON.stringify(expected))
    problems.push(
      problem(
        'scopes',
        file,
        `requiredScopes ${JSON.stringify(scopes)} ≠ backend REQUIRED_SCOPES ${JSON.stringify(expected)}`,
      ),
    );

  const fetchOrigins = (config.permittedUrls?.fetch ?? []).map((url) => url.replace(/\/$/, ''));
  if (!fetchOrigins.includes(origin))
    problems.push(
      problem('origin', file, `permittedUrls.fetch lacks ${origin}, the origin every UI call goes to`),
    );
  const redirect = `${origin}/oauth/callback`;
  if (JSON.stringify(config.auth?.redirectUrls ?? []) !== JSON.stringify([redirect]))
    problems.push(problem('origin', file, `auth.redirectUrls must be ["${redirect}"]`));

  // URLs HubSpot's servers call (webhooks, workflow actions) go to the same backend.
  for (const component of components) {
    for (const url of JSON.stringify(component.json.config ?? {}).match(/https?:\/\/[^"]+/g) ?? []) {
      const isSupport = component === app && !/\/oauth\/callback$/.test(url) && !fetchOrigins.includes(url);
      if (!isSupport && new URL(url).origin !== origin)
        problems.push(problem('origin', component.file, `${url} is not on the backend origin ${origin}`));
    }
  }
  return problems;
}

const TRANSLATED_TYPES: Record<string, string> = {
  app: 'APPLICATION',
  settings: 'SETTINGS',
  card: 'CARD',
  webhooks: 'WEBHOOKS',
  'workflow-action': 'WORKFLOW_ACTION',
};

/** HubSpot's own parser, offline: every component we wrote must come out of it. */
export async function checkWithParsingLib(
  srcDir: string,
  platformVersion: string,
  components: Component[],
): Promise<Problem[]> {
  try {
    const { intermediateRepresentation, skippedHsMetaFiles } = await translate(
      { projectSourceDir: srcDir, platformVersion, accountId: 0 },
      { skipValidation: true },
    );
    const problems = skippedHsMetaFiles.map((file) => problem('parsing-lib', file, 'skipped by HubSpot'));
    const nodes = Object.values(intermediateRepresentation.intermediateNodesIndexedByUid);
    for (const [type, translated] of Object.entries(TRANSLATED_TYPES)) {
      const wanted = Math.max(
        components.filter((c) => c.folder === folderOf(type)).length,
        type === 'workflow-action' ? 0 : 1,
      );
      const found = nodes.filter((node) => node.componentType === translated).length;
      if (found < wanted)
        problems.push(
          problem('parsing-lib', 'hubspot-project', `found ${found} ${type} (expected ${wanted})`),
        );
    }
    return problems;
  } catch (error) {
    return [problem('parsing-lib', 'hubspot-project', `translate failed: ${(error as Error).message}`)];
  }
}
const folderOf = (type: string) => Object.entries(FOLDER_TYPES).find(([, t]) => t === type)![0];

export async function runProjectChecks(options: ProjectCheckOptions): Promise<ProjectCheckResult> {
  const project = readProjectFile(options.rootDir);
  const { components, problems: loadProblems } = loadComponents(project.srcDir);
  const missing = missingRoutes(
    options.uiRoutes,
    scanBackendRoutes(path.join(options.rootDir, 'backend', 'src')),
  );
  const pending = new Set(options.pendingRoutes ?? []);
  const problems = [
    ...project.problems,
    ...loadProblems,
    ...checkComponents(project.srcDir, components),
    ...checkContracts(project.srcDir, components, options.requiredScopes),
    ...checkUiCode(project.srcDir),
    ...missing
      .filter((route) => !pending.has(route))
      .map((route) =>
        problem(
          'routes',
          'app/shared/api.ts',
          `${route} is called by the UI but no backend router serves it`,
        ),
      ),
    ...(await checkWithParsingLib(project.srcDir, project.platformVersion, components)),
    ...releaseDrift(options.rootDir),
    ...(options.release
      ? [...releasePlaceholders(options.rootDir), ...recordingRegistration(options.rootDir)]
      : []),
  ];
  return { problems, components, missingRoutes: missing };
}
