import {
  Button,
  Flex,
  Input,
  Select,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
  Tag,
  Text,
} from '@hubspot/ui-extensions';
import { useCallback, useState } from 'react';
import type { ApiResult } from '@dialer-sync/ui-shared/api';
import { DebugBanner, ErrorAlert, LoadableView } from '@dialer-sync/ui-shared/components';
import type { ContactProperty, Direction, PropertyMapping } from '@dialer-sync/ui-shared/schemas';
import { useAction, useResource } from '@dialer-sync/ui-shared/use-resource';
import { loadBoth } from './MappingTable.tsx';
import type { PanelProps } from './types.ts';

const DIRECTIONS: { label: string; value: Direction }[] = [
  { label: 'Both ways', value: 'both' },
  { label: 'HubSpot → Dialer.io', value: 'hubspot_to_dialer' },
  { label: 'Dialer.io → HubSpot', value: 'dialer_to_hubspot' },
];
const MARKER: Record<PropertyMapping['category'], string> = {
  locked: 'Locked',
  special: 'Not removable',
  compliance: 'Compliance · not removable',
  default: 'Removable',
  custom: 'Custom · removable',
};

interface Data {
  mappings: PropertyMapping[];
  properties: ContactProperty[];
}

/** Which Dialer.io field moves to which HubSpot property, and which way. */
export function PropertyMappingPanel({ api, canEdit, debugMode }: PanelProps) {
  const load = useCallback(
    (): Promise<ApiResult<Data>> =>
      loadBoth(api.propertyMappings(), api.contactProperties(), (m, p) => ({
        mappings: m.mappings,
        properties: p.items,
      })),
    [api],
  );
  const { state, reload } = useResource(load);
  const action = useAction();
  return (
    <Flex direction="column" gap="md">
      <DebugBanner on={debugMode} panel="property-mapping" />
      {action.error ? <ErrorAlert error={action.error} title="Could not change the mapping" /> : null}
      <LoadableView
        state={state}
        label="Loading the property mapping"
        errorTitle="Could not load the property mapping"
      >
        {({ mappings, properties }) => (
          <Flex direction="column" gap="md">
            <Table bordered>
              <TableHead>
                <TableRow>
                  {['Dialer.io field', 'HubSpot property', 'Direction', 'Kind', ''].map((h) => (
                    <TableHeader key={h}>{h}</TableHeader>
                  ))}
                </TableRow>
              </TableHead>
              <TableBody>
                {mappings.map((m) => (
                  <TableRow key={m.dialerField}>
                    <TableCell>{m.dialerField}</TableCell>
                    <TableCell>{m.hubspotProperty}</TableCell>
                    <TableCell>
                      <Select
                        testId={`direction-${m.dialerField}`}
                        label="Direction"
                        name={`direction-${m.dialerField}`}
                        value={m.direction}
                        readOnly={!canEdit || !m.editable || m.category === 'compliance' || action.pending}
                        options={DIRECTIONS}
                        onChange={(value) =>
                          void action.run(
                            () =>
                              api.putPropertyMapping(m.dialerField, m.hubspotProperty, value as Direction),
                            reload,
                          )
                        }
                      />
                    </TableCell>
                    <TableCell>
                      <Tag testId={`marker-${m.dialerField}`} variant={m.removable ? 'default' : 'warning'}>
                        {MARKER[m.category]}
                      </Tag>
                    </TableCell>
                    <TableCell>
                      {canEdit && m.removable ? (
                        <Button
                          testId={`remove-${m.dialerField}`}
                          variant="secondary"
                          size="xs"
                          disabled={action.pending}
                          onClick={() =>
                            void action.run(() => api.deletePropertyMapping(m.dialerField), reload)
                          }
                        >
                          Remove
                        </Button>
                      ) : null}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
            {canEdit ? (
              <AddMapping
                properties={properties}
                pending={action.pending}
                onAdd={(field, property, direction) =>
                  action.run(() => api.putPropertyMapping(field, property, direction), reload)
                }
              />
            ) : (
              <Text variant="microcopy">Only a HubSpot super admin can change the property mapping.</Text>
            )}
          </Flex>
        )}
      </LoadableView>
    </Flex>
  );
}

/** A Dialer.io custom field onto any HubSpot contact property, picked from a searchable dropdown. */
function AddMapping(props: {
  properties: ContactProperty[];
  pending: boolean;
  onAdd: (dialerField: string, hubspotProperty: string, direction: Direction) => Promise<void>;
}) {
  const [key, setKey] = useState('');
  const [property, setProperty] = useState('');
  const [direction, setDirection] = useState<Direction>('both');
  const [query, setQuery] = useState('');
  const q = query.trim().toLowerCase();
  const options = props.properties
    .filter((p) => !q || p.label.toLowerCase().includes(q) || p.name.includes(q))
    .map((p) => ({ label: `${p.label} (${p.name}, ${p.type})`, value: p.name }));
  return (
    <Flex direction="column" gap="sm">
      <Text format={{ fontWeight: 'bold' }}>Map a Dialer.io custom field</Text>
      <Input
        testId="custom-key"
        label="Dialer.io custom field key"
        name="customKey"
        value={key}
        onChange={setKey}
      />
      <Select
        testId="custom-property"
        label="HubSpot contact property"
        name="customProperty"
        placeholder="Search HubSpot's contact properties"
        value={property}
        options={options}
        onInput={setQuery}
        onChange={(value) => setProperty(String(value))}
      />
      <Select
        testId="custom-direction"
        label="Direction"
        name="customDirection"
        value={direction}
        options={DIRECTIONS}
        onChange={(value) => setDirection(value as Direction)}
      />
      <Button
        testId="add-mapping"
        disabled={props.pending || !key.trim() || !property}
        onClick={() => void props.onAdd(`fields.${key.trim()}`, property, direction)}
      >
        Add mapping
      </Button>
    </Flex>
  );
}
