import { createRenderer } from '@hubspot/ui-extensions/testing';
import type { RenderedElementNode } from '@hubspot/ui-extensions/testing';
import { vi } from 'vitest';

export { createRenderer };

/** Calls an event prop (onClick, onChange, …) of a rendered element with an argument. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any component's props
export function fire(node: RenderedElementNode<any>, prop: string, arg?: unknown): void {
  (node.trigger as (name: string, value?: unknown) => void)(prop, arg);
}

/** Polls until `check` passes: the renderer's own waitFor only re-checks on re-render. */
export const eventually = (check: () => void) => vi.waitFor(check, { timeout: 2000, interval: 10 });

/** Everything on screen (element names, props and text), for `toContain` checks. */
export const screen = (renderer: { getRootNode: () => { toString: () => string } }) =>
  renderer.getRootNode().toString();
