import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';

/** Path of the extension's REST API below the server's base URL. */
export const API_PATH = 'modelarts/api/v1';

export type ProfileBackend = 'local' | 'modelarts' | 'pai';

/** A training API generation: v1 (old training management) or v2 (current). */
export type TrainingApi = 'v1' | 'v2';

/** A cloud a profile can name, as `GET /clouds` describes it. */
export interface ICloudPreset {
  name: string;
  label: string;
  backend: 'modelarts' | 'pai';
  /** The regions to choose from; empty: the customer's own (Huawei Cloud Stack). */
  regions: { id: string; label: string; services: string[] }[];
  default_region: string;
  /** Endpoints need the customer's domain (or overrides, or a token catalog). */
  needs_domain: boolean;
  training_api: TrainingApi;
  training_apis: TrainingApi[];
  /** Whether the old DevEnviron API is served. */
  devenviron: boolean;
}

/** Where a profile's credentials come from; never a secret. */
export interface ICredentialsInfo {
  present: boolean;
  source?: string;
  kind?: 'access_key' | 'iam_password' | 'pai_access_key';
  /** The key id's last 4 characters, masked. */
  key_id?: string | null;
  user?: string | null;
}

export interface IConnection {
  state:
    | 'ok'
    | 'no_credentials'
    | 'auth_failed'
    | 'unreachable'
    | 'error'
    | 'unknown';
  message?: string;
  upstream?: IUpstreamError | null;
}

/** What the server says about the active account; never contains a secret. */
export interface IStatus {
  backend: 'local' | 'cloud';
  profile: string;
  profile_backend: ProfileBackend;
  /** The cloud preset's name and label (huaweicloud, Huawei Cloud, ...). */
  cloud: string;
  cloud_label: string;
  /** The training API generation the active profile trains through. */
  training_api: TrainingApi;
  region: string;
  project_id: string | null;
  workspace_id: string;
  account: string;
  /** ModelArts endpoint of the active profile (Local ModelArts' URL when local). */
  endpoint: string | null;
  credentials_present: boolean;
  credentials: ICredentialsInfo;
  connection: IConnection;
  version: string;
}

export interface IProfile {
  name: string;
  backend: ProfileBackend;
  cloud: string;
  training_api: TrainingApi;
  external_domain: string | null;
  endpoint_overrides: Record<string, string>;
  region: string;
  project_id: string | null;
  workspace_id: string;
  managed: boolean;
  endpoints: Record<string, string>;
  credentials: ICredentialsInfo;
  active: boolean;
}

/** A profile as the sign-in form submits it; secrets go to the server only. */
export interface IProfileInput {
  name: string;
  cloud: string;
  backend: 'modelarts' | 'pai';
  region?: string;
  /** Huawei Cloud Stack's domain: endpoints are {service}.{region}.{domain}. */
  external_domain?: string;
  endpoints?: Record<string, string>;
  project_id?: string;
  credentials?: Record<string, string>;
}

export interface IWorkspace {
  id: string;
  name?: string;
  description?: string;
  status?: string;
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
    readonly upstream?: IUpstreamError,
    /** The values the server built its message from, keyed as its code expects. */
    readonly params?: Record<string, unknown>
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
        error.upstream,
        error.params
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

/** The clouds the sign-in dialog offers. */
export async function listClouds(): Promise<ICloudPreset[]> {
  const answer = await requestAPI<{ clouds: ICloudPreset[] }>('clouds');
  return answer.clouds;
}

export async function listProfiles(): Promise<{
  profiles: IProfile[];
  active: string;
}> {
  return requestAPI('profiles');
}

export function saveProfile(input: IProfileInput): Promise<IProfile> {
  return requestAPI<IProfile>('profiles', {
    method: 'POST',
    body: JSON.stringify(input)
  });
}

export function activateProfile(name: string): Promise<IProfile> {
  return requestAPI<IProfile>(`profiles/${encodeURIComponent(name)}/activate`, {
    method: 'POST'
  });
}

export async function signOut(name: string): Promise<void> {
  await requestAPI<null>(`profiles/${encodeURIComponent(name)}`, {
    method: 'DELETE'
  });
}

export function setWorkspace(
  profile: string,
  workspaceId: string
): Promise<IProfile> {
  return requestAPI<IProfile>(
    `profiles/${encodeURIComponent(profile)}/workspace`,
    { method: 'PUT', body: JSON.stringify({ workspace_id: workspaceId }) }
  );
}

export async function listWorkspaces(): Promise<IWorkspace[]> {
  const answer = await requestAPI<{ workspaces?: IWorkspace[] }>(
    'workspaces?limit=100'
  );
  return answer.workspaces ?? [];
}

/** A workspace as `GET workspaces/{id}` details it (WS-4). */
export interface IWorkspaceDetails extends IWorkspace {
  owner?: string;
  auth_type?: string;
  create_time?: number;
  update_time?: number;
}

/** What the Manage workspaces form sends to create or modify one. */
export interface IWorkspaceInput {
  name?: string;
  description?: string;
}

/** A workspace's quota of one resource (WS-6); -1 means unlimited. */
export interface IWorkspaceQuota {
  resource: string;
  name_en?: string;
  name_cn?: string;
  quota?: number;
  min_quota?: number;
  max_quota?: number;
  used_quota?: number;
  unit_en?: string;
  unit_cn?: string;
}

const workspacePath = (workspaceId: string) =>
  `workspaces/${encodeURIComponent(workspaceId)}`;

export function createWorkspace(
  input: IWorkspaceInput
): Promise<IWorkspaceDetails> {
  return requestAPI<IWorkspaceDetails>('workspaces', {
    method: 'POST',
    body: JSON.stringify(input)
  });
}

export function getWorkspace(workspaceId: string): Promise<IWorkspaceDetails> {
  return requestAPI<IWorkspaceDetails>(workspacePath(workspaceId));
}

export async function updateWorkspace(
  workspaceId: string,
  input: IWorkspaceInput
): Promise<void> {
  await requestAPI(workspacePath(workspaceId), {
    method: 'PUT',
    body: JSON.stringify(input)
  });
}

export async function deleteWorkspace(workspaceId: string): Promise<void> {
  await requestAPI(workspacePath(workspaceId), { method: 'DELETE' });
}

export async function workspaceQuotas(
  workspaceId: string
): Promise<IWorkspaceQuota[]> {
  const answer = await requestAPI<{ quotas?: IWorkspaceQuota[] }>(
    `${workspacePath(workspaceId)}/quotas`
  );
  return answer.quotas ?? [];
}

/** Send only the changed quotas (WS-7). */
export async function updateWorkspaceQuotas(
  workspaceId: string,
  quotas: { resource: string; quota: number }[]
): Promise<IWorkspaceQuota[]> {
  const answer = await requestAPI<{ quotas?: IWorkspaceQuota[] }>(
    `${workspacePath(workspaceId)}/quotas`,
    { method: 'PUT', body: JSON.stringify({ quotas }) }
  );
  return answer.quotas ?? [];
}
