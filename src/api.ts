import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';

/** Path of the extension's REST API below the server's base URL. */
export const API_PATH = 'modelarts/api/v1';

/** What the server says about the active account; never contains a secret. */
export interface IStatus {
  backend: 'local' | 'cloud';
  region: string;
  project_id: string | null;
  account: string;
  /** Base URL of Local ModelArts when the backend is local. */
  endpoint: string | null;
  credentials_present: boolean;
  version: string;
}

/** Upstream details of an error that came from the cloud (or Local ModelArts). */
export interface IUpstreamError {
  error_code?: string;
  error_msg?: string;
  request_id?: string;
}

/** An error answered by the extension's REST API, in its one error shape. */
export class APIError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
    readonly field?: string,
    readonly upstream?: IUpstreamError
  ) {
    super(message);
    this.name = 'APIError';
  }
}

/**
 * Call a route of the extension's REST API and return its JSON body.
 *
 * Errors of the API's shape become an `APIError`; anything else (the server
 * unreachable, a proxy's HTML page) becomes an `APIError` with code `NETWORK`
 * or `HTTP_<status>`, so callers handle one error type.
 */
export async function requestAPI<T>(
  endPoint: string,
  init: RequestInit = {},
  settings: ServerConnection.ISettings = ServerConnection.makeSettings()
): Promise<T> {
  const url = URLExt.join(settings.baseUrl, API_PATH, endPoint);
  let response: Response;
  try {
    response = await ServerConnection.makeRequest(url, init, settings);
  } catch (error) {
    throw new APIError(String(error), 0, 'NETWORK');
  }
  const text = await response.text();
  let body: any = null;
  if (text.length > 0) {
    try {
      body = JSON.parse(text);
    } catch {
      body = null;
    }
  }
  if (!response.ok) {
    const error = body?.error;
    if (error && typeof error.message === 'string') {
      throw new APIError(
        error.message,
        response.status,
        error.code,
        error.field,
        error.upstream
      );
    }
    throw new APIError(
      response.statusText || `HTTP ${response.status}`,
      response.status,
      `HTTP_${response.status}`
    );
  }
  return body as T;
}

/** The server's view of the active account. */
export function fetchStatus(
  settings?: ServerConnection.ISettings
): Promise<IStatus> {
  return requestAPI<IStatus>('status', {}, settings);
}
