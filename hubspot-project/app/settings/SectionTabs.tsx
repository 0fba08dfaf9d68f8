import { Tab, Tabs } from '@hubspot/ui-extensions';
import type { ReactNode } from 'react';
import { GROUPS, groupOf, type Section, type SectionGroup } from './sections.tsx';

/**
 * Top-level tabs for the groups, sub-tabs for a group's sections. Only the selected section's panel
 * is rendered: a panel inside an unselected `Tab` would mount and load all the same.
 */
export function SectionTabs({
  selected,
  remembered,
  onSelect,
  renderSection,
}: {
  /** The selected section's id. */
  selected: string;
  /** The section last shown in each group, to return to when its tab is picked again. */
  remembered: Record<string, string>;
  onSelect: (sectionId: string) => void;
  renderSection: (section: Section) => ReactNode;
}) {
  const current = groupOf(selected);
  const openGroup = (groupId: string | number) => {
    const group = GROUPS.find((g) => g.id === String(groupId));
    if (group) onSelect(remembered[group.id] ?? group.sections[0]!.id);
  };
  return (
    <Tabs selected={current.id} onSelectedChange={openGroup} testId="groups">
      {GROUPS.map((group) => (
        <Tab key={group.id} tabId={group.id} title={group.title}>
          {group.id === current.id ? (
            <GroupSections
              group={group}
              selected={selected}
              onSelect={onSelect}
              renderSection={renderSection}
            />
          ) : null}
        </Tab>
      ))}
    </Tabs>
  );
}

function GroupSections({
  group,
  selected,
  onSelect,
  renderSection,
}: {
  group: SectionGroup;
  selected: string;
  onSelect: (sectionId: string) => void;
  renderSection: (section: Section) => ReactNode;
}) {
  if (group.sections.length === 1) return <>{renderSection(group.sections[0]!)}</>;
  return (
    <Tabs
      variant="enclosed"
      selected={selected}
      onSelectedChange={(id: string | number) => onSelect(String(id))}
      testId={`sections-${group.id}`}
    >
      {group.sections.map((section) => (
        <Tab key={section.id} tabId={section.id} title={section.title}>
          {section.id === selected ? renderSection(section) : null}
        </Tab>
      ))}
    </Tabs>
  );
}
