// Entry point of `npm run demo`: exit 0 with the tables, or exit 1 with the reason.
// DEMO_TIMEOUT_SECONDS (default 90) bounds the waits, for very slow machines.
import { runDemo } from './demo.ts';

const write = (stream: NodeJS.WriteStream, text: string) =>
  new Promise<void>((resolve) => stream.write(text, () => resolve()));

const controller = new AbortController();
process.once('SIGINT', () => controller.abort());
const seconds = Number(process.env.DEMO_TIMEOUT_SECONDS ?? 90);

try {
  const summary = await runDemo({
    signal: controller.signal,
    timeoutMs: Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 90_000,
  });
  await write(process.stdout, `\nDemo finished in ${(summary.elapsedMs / 1000).toFixed(1)} s.\n`);
  process.exit(0);
} catch (error) {
  const message =
    error instanceof Error ? (error.name === 'DemoFailure' ? error.message : error.stack) : String(error);
  await write(process.stderr, `\nDemo FAILED: ${message}\n`);
  process.exit(1);
}
