export const LEVELS = ['info', 'warning', 'error'] as const;

export const LEVEL_TAG: Record<string, 'default' | 'warning' | 'error' | 'info'> = {
  info: 'info',
  warning: 'warning',
  error: 'error',
};
