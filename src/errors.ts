import { TranslationBundle } from '@jupyterlab/translation';

import { APIError } from './api';

/** One readable line: the message, then the upstream code and request id when known. */
export function describeError(
  error: unknown,
  trans: TranslationBundle
): string {
  if (!(error instanceof APIError)) {
    return error instanceof Error ? error.message : String(error);
  }
  const details: string[] = [];
  if (error.upstream?.error_code) {
    details.push(error.upstream.error_code);
  }
  if (error.upstream?.request_id) {
    details.push(trans.__('request id %1', error.upstream.request_id));
  }
  return details.length > 0
    ? `${error.message} (${details.join(', ')})`
    : error.message;
}
