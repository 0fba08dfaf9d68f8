import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ROUTES } from '@dialer-sync/ui-shared/api';
import { REQUIRED_SCOPES } from '../../backend/src/installations/scopes.ts';
import { PENDING_ROUTES } from './pending-routes.ts';
import { formatProblems } from './problems.ts';
import { runProjectChecks } from './project-checks.ts';

// `npm run project:check [-- --release] [--root <dir>]`: the offline HubSpot project checks (also run by the test suite).
const args = process.argv.slice(2);
const rootArg = args.indexOf('--root');
const rootDir =
  rootArg >= 0
    ? path.resolve(args[rootArg + 1]!)
    : path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const result = await runProjectChecks({
  rootDir,
  requiredScopes: REQUIRED_SCOPES,
  uiRoutes: ROUTES,
  pendingRoutes: PENDING_ROUTES,
  release: args.includes('--release'),
});
const pending = result.missingRoutes.filter((route) => PENDING_ROUTES.includes(route));
const types = result.components.map((component) => `${component.json.type}:${String(component.json.uid)}`);
console.log(`project: ${result.components.length} components (${types.join(', ')})`);
if (pending.length) console.log(`pending backend routes (allowed for now):\n  ${pending.join('\n  ')}`);
if (result.problems.length) {
  console.error(`project checks: ${result.problems.length} problem(s)\n${formatProblems(result.problems)}`);
  process.exit(1);
}
console.log('project checks: all passed');
