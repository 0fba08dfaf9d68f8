import { createContext, useCallback, useContext } from 'react';

/**
 * Every time on the settings page and the card is shown in the portal's time zone, in the user's
 * locale, with the zone's name, both from the extension's context (`context.portal.timezone`,
 * `context.user.locale`). The page and the card provide them once (DisplayZoneContext); panels call
 * `useFormatTime()`.
 */
export interface DisplayZone {
  timeZone: string;
  locale: string;
}
export const UTC_ZONE: DisplayZone = { timeZone: 'UTC', locale: 'en-US' };

/** The part of HubSpot's extension context (0.17 `BaseContext`) that decides how times read. */
export interface ZoneContext {
  portal?: { timezone?: string | null };
  user?: { locale?: string | null; language?: string | null };
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor({ timeZone, locale }: DisplayZone): Intl.DateTimeFormat {
  const key = `${locale}|${timeZone}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat(locale, {
      timeZone,
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: '2-digit',
      second: '2-digit',
      timeZoneName: 'short',
    });
    formatters.set(key, formatter);
  }
  return formatter;
}

const accepted = (zone: DisplayZone) => {
  try {
    formatterFor(zone);
    return true;
  } catch {
    return false;
  }
};

/** The portal's zone and the user's locale; an unknown zone or locale falls back to UTC / en-US. */
export function displayZoneOf(context: ZoneContext | null | undefined): DisplayZone {
  const timeZone = context?.portal?.timezone || UTC_ZONE.timeZone;
  const locale = context?.user?.locale || context?.user?.language || UTC_ZONE.locale;
  const zone = {
    timeZone: accepted({ timeZone, locale: UTC_ZONE.locale }) ? timeZone : UTC_ZONE.timeZone,
    locale,
  };
  return accepted(zone) ? zone : { ...zone, locale: UTC_ZONE.locale };
}

/** An ISO time as the reader's clock shows it; '—' when there is none, the text itself when unreadable. */
export function formatTime(iso: string | null | undefined, zone: DisplayZone = UTC_ZONE): string {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : formatterFor(zone).format(date);
}

export const DisplayZoneContext = createContext<DisplayZone>(UTC_ZONE);

/** `formatTime` in the zone and locale the page or card provides. */
export function useFormatTime(): (iso: string | null | undefined) => string {
  const zone = useContext(DisplayZoneContext);
  return useCallback((iso: string | null | undefined) => formatTime(iso, zone), [zone]);
}
