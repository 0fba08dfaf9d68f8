import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { Problem } from './problems.ts';

/**
 * What `hs project lint` and HubSpot's build would reject in the UI code, checked offline:
 * relative imports must stay inside their extension folder (share code through the npm workspace),
 * every package imported must be declared in that folder's package.json, no browser globals or
 * native fetch, no CRM components on the settings page, and no backend URL outside shared/config.ts.
 */
const UI_FOLDERS = ['cards', 'settings', 'shared'];
const FORBIDDEN: [RegExp, string][] = [
  [/(?<![.\w])fetch\s*\(/, 'calls fetch(): use hubspot.fetch through shared/api.ts'],
  [/\b(window|document|localStorage|sessionStorage)\s*\./, 'uses a browser global (no DOM in UI extensions)'],
  [/\bXMLHttpRequest\b/, 'uses XMLHttpRequest'],
];

export function listFiles(dir: string, accept: (file: string) => boolean): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : listFiles(full, accept);
    return accept(full) ? [full] : [];
  });
}

const stripComments = (code: string) =>
  code.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:])\/\/.*$/gm, '$1');
const importsOf = (code: string) =>
  [...code.matchAll(/(?:import|export)\s[^'";]*?from\s*['"]([^'"]+)['"]|import\s*['"]([^'"]+)['"]/g)].map(
    (match) => (match[1] ?? match[2])!,
  );
const packageName = (specifier: string) =>
  specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]!;

export function checkUiCode(srcDir: string): Problem[] {
  const problems: Problem[] = [];
  const appDir = path.join(srcDir, 'app');
  for (const folder of UI_FOLDERS) {
    const root = path.join(appDir, folder);
    const files = listFiles(root, (file) => /\.(ts|tsx|js|jsx)$/.test(file) && !/\.test\.tsx?$/.test(file));
    if (files.length === 0) continue;
    const manifestPath = path.join(root, 'package.json');
    const manifest = existsSync(manifestPath)
      ? (JSON.parse(readFileSync(manifestPath, 'utf8')) as { dependencies?: Record<string, string> })
      : null;
    const rel = (file: string) => path.relative(srcDir, file);
    if (!manifest)
      problems.push({ check: 'ui-code', file: rel(manifestPath), message: 'missing package.json' });
    for (const file of files) {
      const code = stripComments(readFileSync(file, 'utf8'));
      for (const specifier of importsOf(code)) {
        if (specifier.startsWith('.')) {
          const target = path.resolve(path.dirname(file), specifier);
          if (!target.startsWith(root + path.sep))
            problems.push({
              check: 'ui-code',
              file: rel(file),
              message: `imports ${specifier} from outside app/${folder}`,
            });
        } else if (
          !specifier.startsWith('node:') &&
          manifest &&
          !manifest.dependencies?.[packageName(specifier)]
        ) {
          problems.push({
            check: 'ui-code',
            file: rel(file),
            message: `imports ${specifier}, not in its package.json`,
          });
        } else if (specifier.startsWith('node:')) {
          problems.push({
            check: 'ui-code',
            file: rel(file),
            message: `imports ${specifier} (no Node in UI extensions)`,
          });
        }
        if (folder === 'settings' && specifier.startsWith('@hubspot/ui-extensions/crm'))
          problems.push({
            check: 'ui-code',
            file: rel(file),
            message: 'settings page imports CRM components',
          });
      }
      for (const [pattern, message] of FORBIDDEN) {
        if (pattern.test(code)) problems.push({ check: 'ui-code', file: rel(file), message });
      }
      if (!file.endsWith(path.join('shared', 'config.ts')) && /['"`]https?:\/\//.test(code))
        problems.push({
          check: 'ui-code',
          file: rel(file),
          message: 'has a URL literal: use BACKEND_ORIGIN from shared/config.ts',
        });
    }
  }
  return problems;
}

/** The backend origin the UI calls, read from shared/config.ts (text, so a copied project can be checked). */
export function readBackendOrigin(srcDir: string): string | null {
  const file = path.join(srcDir, 'app', 'shared', 'config.ts');
  if (!existsSync(file)) return null;
  const match = /BACKEND_ORIGIN\s*=\s*['"]([^'"]+)['"]/.exec(readFileSync(file, 'utf8'));
  return match ? match[1]! : null;
}
