import { Alert, Button, EmptyState, Flex, LoadingSpinner, Text } from '@hubspot/ui-extensions';
import { useState, type ReactNode } from 'react';
import type { ApiError, Loadable } from './api.ts';

/** Small building blocks every panel and the card share. */

export function ErrorAlert({ error, title = 'Something went wrong' }: { error: ApiError; title?: string }) {
  return (
    <Alert title={title} variant="error">
      {error.message}
    </Alert>
  );
}

export const DEBUG_BANNER_TITLE = 'Debug mode is on';

/** The warning every panel shows while debug mode is on; `panel` keeps test ids unique per page. */
export function DebugBanner({ on, panel }: { on: boolean; panel: string }) {
  if (!on) return null;
  return (
    <Alert title={DEBUG_BANNER_TITLE} variant="warning" testId={`debug-banner-${panel}`}>
      Calls are received and logged step by step, but nothing is written to HubSpot until debug mode is turned
      off.
    </Alert>
  );
}

/** Renders the loading spinner, the backend's error, or the data. */
export function LoadableView<T>({
  state,
  label,
  errorTitle,
  children,
}: {
  state: Loadable<T>;
  label: string;
  errorTitle?: string;
  children: (data: T) => ReactNode;
}) {
  if (state.status === 'loading') return <LoadingSpinner label={label} showLabel layout="centered" />;
  if (state.status === 'error') return <ErrorAlert error={state.error} title={errorTitle} />;
  return <>{children(state.data)}</>;
}

export function Empty({ title, children }: { title: string; children: ReactNode }) {
  return (
    <EmptyState title={title} layout="vertical" flush>
      <Text>{children}</Text>
    </EmptyState>
  );
}

/** A destructive button that asks before it acts: first click asks, "Yes" runs. */
export function ConfirmButton({
  label,
  question,
  confirmLabel,
  onConfirm,
  testId,
  disabled,
}: {
  label: string;
  question: string;
  confirmLabel: string;
  onConfirm: () => void;
  testId: string;
  disabled?: boolean;
}) {
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return (
      <Button variant="destructive" testId={testId} disabled={disabled} onClick={() => setAsking(true)}>
        {label}
      </Button>
    );
  }
  return (
    <Flex direction="column" gap="sm">
      <Text>{question}</Text>
      <Flex direction="row" gap="sm">
        <Button
          variant="destructive"
          testId={`${testId}-confirm`}
          onClick={() => {
            setAsking(false);
            onConfirm();
          }}
        >
          {confirmLabel}
        </Button>
        <Button variant="secondary" testId={`${testId}-cancel`} onClick={() => setAsking(false)}>
          Cancel
        </Button>
      </Flex>
    </Flex>
  );
}

export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString('en-US', { timeZone: 'UTC' }) + ' UTC';
}

export const STATE_TAG: Record<string, 'success' | 'warning' | 'default'> = {
  mapped: 'success',
  waiting: 'warning',
  disabled: 'default',
};
