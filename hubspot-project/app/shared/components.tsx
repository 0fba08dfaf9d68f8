import { Alert, Button, EmptyState, Flex, LoadingSpinner, Text } from '@hubspot/ui-extensions';
import { useState, type ReactNode } from 'react';
import type { ApiError, Loadable } from './api.ts';

/** Small building blocks every panel and the card share. */

/** The backend's message, and when a busy answer (409/429 with Retry-After) says to try again. */
export function describeError(error: ApiError): string {
  if (error.retryAfterSeconds === undefined || /try again in \d/i.test(error.message)) return error.message;
  const wait = error.retryAfterSeconds;
  const when = wait <= 1 ? 'a second' : wait < 120 ? `${wait} s` : `${Math.ceil(wait / 60)} minutes`;
  const message = error.message.trim();
  return `${message}${/[.!?]$/.test(message) ? '' : '.'} Try again in ${when}.`;
}

export function ErrorAlert({
  error,
  title = 'Something went wrong',
  testId,
}: {
  error: ApiError;
  title?: string;
  testId?: string;
}) {
  return (
    <Alert title={title} variant="error" testId={testId}>
      {describeError(error)}
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

/** Prefer `useFormatTime()` (shared/time.ts): this one shows UTC, whatever the portal's zone. */
export { formatTime } from './time.ts';

export const STATE_TAG: Record<string, 'success' | 'warning' | 'default'> = {
  mapped: 'success',
  waiting: 'warning',
  disabled: 'default',
};
