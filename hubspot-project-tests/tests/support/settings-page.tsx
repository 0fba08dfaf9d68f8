import { Tabs } from '@hubspot/ui-extensions';
import { expect } from 'vitest';
import { GROUPS, Settings } from '../../../hubspot-project/app/settings/Settings.tsx';
import type { ZoneContext } from '@dialer-sync/ui-shared/time';
import type { fakeBackend } from './fake-backend.ts';
import { createRenderer, eventually, fire } from './render.ts';

export type SettingsRenderer = ReturnType<typeof createRenderer<'settings'>>;

/** The settings page as HubSpot shows it, with the renderer's own extension context unless given. */
export function renderSettings(backend: ReturnType<typeof fakeBackend>, context?: ZoneContext) {
  const renderer = createRenderer('settings');
  renderer.render(<Settings api={backend.api} context={context ?? renderer.mocks.context} />);
  return renderer;
}

/** Picks a section as a person does: its group's tab, then its sub-tab. */
export async function openSection(renderer: SettingsRenderer, sectionId: string) {
  const group = GROUPS.find((g) => g.sections.some((s) => s.id === sectionId))!;
  await eventually(() => renderer.findByTestId(Tabs, 'groups'));
  fire(renderer.findByTestId(Tabs, 'groups'), 'onSelectedChange', group.id);
  if (group.sections.length > 1) {
    await eventually(() => renderer.findByTestId(Tabs, `sections-${group.id}`));
    fire(renderer.findByTestId(Tabs, `sections-${group.id}`), 'onSelectedChange', sectionId);
  }
  await eventually(() => expect(selectedSection(renderer)).toBe(sectionId));
}

/** The section on screen: the selected sub-tab, or the group itself when it has one section. */
export function selectedSection(renderer: SettingsRenderer): string {
  const groupId = String(renderer.findByTestId(Tabs, 'groups').props.selected);
  const group = GROUPS.find((g) => g.id === groupId)!;
  if (group.sections.length === 1) return group.sections[0]!.id;
  return String(renderer.findByTestId(Tabs, `sections-${groupId}`).props.selected);
}
