import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { listFiles, readBackendOrigin } from './ui-code.ts';

/**
 * Moves the project to another backend origin: rewrites BACKEND_ORIGIN in app/shared/config.ts and
 * every URL on the old origin in the `*-hsmeta.json` files and app/local.example.json.
 * Usage: `npm run project:set-origin -- https://dialer-sync.your-company.com`
 */
export function setOrigin(srcDir: string, requested: string): { from: string; to: string; files: string[] } {
  const url = new URL(requested);
  const to = url.origin;
  if (url.protocol !== 'https:' || requested.replace(/\/$/, '') !== to)
    throw new Error(
      `give an https origin without a path, e.g. https://dialer-sync.example.com (got ${requested})`,
    );
  const from = readBackendOrigin(srcDir);
  if (!from) throw new Error('no BACKEND_ORIGIN in app/shared/config.ts');
  const appDir = path.join(srcDir, 'app');
  const targets = [
    path.join(appDir, 'shared', 'config.ts'),
    path.join(appDir, 'local.example.json'),
    ...listFiles(appDir, (file) => file.endsWith('-hsmeta.json')),
  ];
  const files: string[] = [];
  for (const file of targets) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    const next = text.split(from).join(to);
    if (next !== text) {
      writeFileSync(file, next);
      files.push(path.relative(srcDir, file));
    }
  }
  return { from, to, files };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const requested = process.argv[2];
  if (!requested) {
    console.error('usage: npm run project:set-origin -- https://your.backend.origin');
    process.exit(2);
  }
  const srcDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../hubspot-project');
  const { from, to, files } = setOrigin(srcDir, requested);
  console.log(`backend origin ${from} → ${to}\n  ${files.join('\n  ') || '(nothing to change)'}`);
  console.log('Set PUBLIC_BASE_URL to the same origin on the backend, then run npm run project:check.');
}
