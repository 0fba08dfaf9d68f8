import {
  Button,
  Flex,
  Select,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
  Tag,
} from '@hubspot/ui-extensions';
import type { ReactNode } from 'react';
import type { ApiError, ApiResult } from '@dialer-sync/ui-shared/api';
import { DebugBanner, Empty, ErrorAlert, LoadableView, STATE_TAG } from '@dialer-sync/ui-shared/components';
import type { MappingState } from '@dialer-sync/ui-shared/schemas';
import { useAction, useResource } from '@dialer-sync/ui-shared/use-resource';

export interface MappingRow {
  id: string;
  cells: ReactNode[];
  value: string | null;
  state: MappingState;
}
export interface MappingData {
  rows: MappingRow[];
  options: { label: string; value: string }[];
}

const STATE_LABEL: Record<MappingState, string> = {
  mapped: 'Mapped',
  waiting: 'Waiting',
  disabled: 'Disabled',
};

/** Combines two answers (the rows and the choices) into one loadable result. */
export async function loadBoth<A, B, T>(
  first: Promise<ApiResult<A>>,
  second: Promise<ApiResult<B>>,
  combine: (a: A, b: B) => T,
): Promise<ApiResult<T>> {
  const [a, b] = await Promise.all([first, second]);
  if (a.status === 'error') return a;
  if (b.status === 'error') return b;
  return { status: 'success', data: combine(a.data, b.data) };
}

/** The agent and disposition tables: one select per row, a state tag, and a refresh button. */
export function MappingTable(props: {
  kind: string;
  headers: string[];
  selectLabel: string;
  emptyText: string;
  load: () => Promise<ApiResult<MappingData>>;
  save: (id: string, value: string | null) => Promise<ApiResult<unknown>>;
  refresh: () => Promise<ApiResult<unknown>>;
  canEdit: boolean;
  debugMode: boolean;
}) {
  const { state, reload } = useResource(props.load);
  const action = useAction();
  const error: ApiError | null = action.error;
  return (
    <Flex direction="column" gap="md">
      <DebugBanner on={props.debugMode} panel={props.kind} />
      {error ? <ErrorAlert error={error} title={`Could not update ${props.kind}`} /> : null}
      {props.canEdit ? (
        <Button
          testId={`refresh-${props.kind}`}
          variant="secondary"
          disabled={action.pending}
          onClick={() => void action.run(props.refresh, reload)}
        >
          Refresh from Dialer.io
        </Button>
      ) : null}
      <LoadableView state={state} label={`Loading ${props.kind}`} errorTitle={`Could not load ${props.kind}`}>
        {({ rows, options }) =>
          rows.length === 0 ? (
            <Empty title={`No ${props.kind} yet`}>{props.emptyText}</Empty>
          ) : (
            <Table bordered>
              <TableHead>
                <TableRow>
                  {[...props.headers, props.selectLabel, 'State'].map((header) => (
                    <TableHeader key={header}>{header}</TableHeader>
                  ))}
                </TableRow>
              </TableHead>
              <TableBody>
                {rows.map((row) => (
                  <TableRow key={row.id}>
                    {row.cells.map((cell, index) => (
                      <TableCell key={index}>{cell}</TableCell>
                    ))}
                    <TableCell>
                      <Select
                        testId={`map-${props.kind}-${row.id}`}
                        label={props.selectLabel}
                        name={`map-${row.id}`}
                        value={row.value ?? ''}
                        readOnly={!props.canEdit || action.pending}
                        options={[{ label: 'Not mapped', value: '' }, ...options]}
                        onChange={(value) =>
                          void action.run(
                            () => props.save(row.id, value === '' ? null : String(value)),
                            reload,
                          )
                        }
                      />
                    </TableCell>
                    <TableCell>
                      <Tag
                        variant={STATE_TAG[row.state] ?? 'default'}
                        testId={`state-${props.kind}-${row.id}`}
                      >
                        {STATE_LABEL[row.state]}
                      </Tag>
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )
        }
      </LoadableView>
    </Flex>
  );
}
