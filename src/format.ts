/**
 * Dates, times, durations, sizes and counts as the browser's Intl writes them
 * in the language JupyterLab is set to (not the browser's own language).
 */

let language: string | undefined;

/**
 * Format for `code`, the translator's language code ("en", "zh-CN"; JupyterLab's
 * "default" or one Intl does not know: the browser's language).
 */
export function setFormatLanguage(code: string | undefined): void {
  const tag = code?.replace('_', '-');
  try {
    language =
      tag && tag !== 'default' ? Intl.getCanonicalLocales(tag)[0] : undefined;
  } catch {
    language = undefined;
  }
}

/** A moment (ms since the epoch) with its date and time; empty when unknown. */
export function formatDate(ms: number | null | undefined): string {
  if (!ms) {
    return '';
  }
  return new Intl.DateTimeFormat(language, {
    dateStyle: 'medium',
    timeStyle: 'medium'
  }).format(ms);
}

/** The time of day of a moment (ms since the epoch). */
export function formatTime(ms: number): string {
  return new Intl.DateTimeFormat(language, { timeStyle: 'medium' }).format(ms);
}

/** A whole number with the language's grouping ("12,345", "12,345"). */
export function formatCount(value: number): string {
  return new Intl.NumberFormat(language, { maximumFractionDigits: 0 }).format(
    value
  );
}

/** A number with at most `digits` decimals. */
export function formatNumber(value: number, digits = 1): string {
  return new Intl.NumberFormat(language, {
    maximumFractionDigits: digits
  }).format(value);
}

/** "1h 2m 5s" in the language's own units; empty when unknown or zero. */
export function formatDuration(ms: number | null | undefined): string {
  if (!ms) {
    return '';
  }
  const seconds = Math.round(ms / 1000);
  const units: [number, 'hour' | 'minute' | 'second'][] = [
    [Math.floor(seconds / 3600), 'hour'],
    [Math.floor((seconds % 3600) / 60), 'minute'],
    [seconds % 60, 'second']
  ];
  const shown = units.filter(([value]) => value > 0);
  return (shown.length > 0 ? shown : [units[2]])
    .map(([value, unit]) =>
      new Intl.NumberFormat(language, {
        style: 'unit',
        unit,
        unitDisplay: 'narrow'
      }).format(value)
    )
    .join(' ');
}

/** A fraction (0.25) as a percentage ("25%"). */
export function formatPercent(fraction: number): string {
  return new Intl.NumberFormat(language, {
    style: 'percent',
    maximumFractionDigits: 0
  }).format(fraction);
}

const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

/** A size in bytes in binary units ("1.5 MiB"), the number in the language's digits. */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${formatNumber(value, unit === 0 ? 0 : 1)} ${BYTE_UNITS[unit]}`;
}
