import { TranslationBundle } from '@jupyterlab/translation';

/** The values an error's code is worded with, as the server sends them. */
export type ErrorParams = Record<string, unknown>;

/** The wording of an error; null keeps the server's English (a reason not worded here). */
export type Wording = (
  params: ErrorParams,
  trans: TranslationBundle
) => string | null;

/** A value of the params as text: a list as its items separated by commas. */
export const text = (value: unknown): string =>
  Array.isArray(value) ? value.join(', ') : String(value ?? '');
