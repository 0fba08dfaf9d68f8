import type { ReactNode } from 'react';
import { ActivityPanel } from './panels/ActivityPanel.tsx';
import { AgentsPanel } from './panels/AgentsPanel.tsx';
import { ConnectionPanel } from './panels/ConnectionPanel.tsx';
import { DebugPanel } from './panels/DebugPanel.tsx';
import { DispositionsPanel } from './panels/DispositionsPanel.tsx';
import { HealthPanel } from './panels/HealthPanel.tsx';
import { MissedCallsPanel } from './panels/MissedCallsPanel.tsx';
import { PrivacyPanel } from './panels/PrivacyPanel.tsx';
import { PropertyMappingPanel } from './panels/PropertyMappingPanel.tsx';
import { RecordingsPanel } from './panels/RecordingsPanel.tsx';
import { SetupPanel } from './panels/SetupPanel.tsx';
import { SyncOperationsPanel } from './panels/SyncOperationsPanel.tsx';
import { SyncSettingsPanel } from './panels/SyncSettingsPanel.tsx';
import type { PanelProps } from './panels/types.ts';
import { UninstallPanel } from './panels/UninstallPanel.tsx';
import { UnmatchedCallsPanel } from './panels/UnmatchedCallsPanel.tsx';

export type SectionProps = PanelProps & { onDebugModeChange: (on: boolean) => void };
export interface Section {
  id: string;
  title: string;
  render: (props: SectionProps) => ReactNode;
}
export interface SectionGroup {
  id: string;
  title: string;
  sections: Section[];
}

/**
 * The settings page as an admin thinks of it: top-level tabs, each with its sections (sub-tabs).
 * Only the selected section is mounted, so a page load asks the backend for what it shows.
 * A new panel is one entry here.
 */
export const GROUPS: SectionGroup[] = [
  {
    id: 'setup',
    title: 'Setup',
    sections: [
      { id: 'checklist', title: 'Checklist', render: (props) => <SetupPanel {...props} /> },
      { id: 'dialer', title: 'Dialer.io connection', render: (props) => <ConnectionPanel {...props} /> },
    ],
  },
  {
    id: 'calls',
    title: 'Calls',
    sections: [
      { id: 'agents', title: 'Agents', render: (props) => <AgentsPanel {...props} /> },
      { id: 'dispositions', title: 'Dispositions', render: (props) => <DispositionsPanel {...props} /> },
      { id: 'missed-calls', title: 'Missed calls', render: (props) => <MissedCallsPanel {...props} /> },
      { id: 'recordings', title: 'Recordings', render: (props) => <RecordingsPanel {...props} /> },
      { id: 'unmatched', title: 'Unmatched calls', render: (props) => <UnmatchedCallsPanel {...props} /> },
    ],
  },
  {
    id: 'contacts',
    title: 'Contacts',
    sections: [
      { id: 'contact-sync', title: 'Sync settings', render: (props) => <SyncSettingsPanel {...props} /> },
      {
        id: 'property-mapping',
        title: 'Property mapping',
        render: (props) => <PropertyMappingPanel {...props} />,
      },
      { id: 'sync-operations', title: 'Pull & push', render: (props) => <SyncOperationsPanel {...props} /> },
    ],
  },
  {
    id: 'activity',
    title: 'Activity',
    sections: [{ id: 'activity', title: 'Activity', render: (props) => <ActivityPanel {...props} /> }],
  },
  {
    id: 'advanced',
    title: 'Advanced',
    sections: [
      { id: 'debug', title: 'Debug mode', render: (props) => <DebugPanel {...props} /> },
      { id: 'health', title: 'Health', render: (props) => <HealthPanel {...props} /> },
      { id: 'privacy', title: 'Privacy', render: (props) => <PrivacyPanel {...props} /> },
      { id: 'uninstall', title: 'Uninstall', render: (props) => <UninstallPanel {...props} /> },
    ],
  },
];

/** Every section, in page order. */
export const SECTIONS: Section[] = GROUPS.flatMap((group) => group.sections);

export const groupOf = (sectionId: string): SectionGroup =>
  GROUPS.find((group) => group.sections.some((section) => section.id === sectionId)) ?? GROUPS[0]!;
