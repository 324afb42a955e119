import { requestAPI } from '../api';
import { IErrorBody } from '../errors';

/** The three instance APIs; the active profile decides which exist. */
export type InstanceApi = 'devenv' | 'notebooks' | 'pai';

export type InstancePhase = 'transitional' | 'running' | 'stopped' | 'failed';

/** An instance in the server's one shape, whichever API it comes from. */
export interface IInstance {
  key: string;
  api: InstanceApi;
  id: string;
  name: string;
  description: string;
  status: string;
  phase: InstancePhase;
  flavor: string | null;
  image: string | null;
  created_at: number | null;
  auto_stop: {
    enabled: boolean;
    duration_ms: number | null;
    stop_at: number | null;
  } | null;
  url: string | null;
  failure: string | null;
  queue: { rank: number | null; ends_at: number | null } | null;
  /** Action -> null when allowed now, else the server's refusal. */
  actions: Record<string, IErrorBody | null>;
  /** The upstream record (single-instance answers only). */
  raw?: Record<string, unknown>;
}

/** The APIs the profile's cloud does not serve, each with the server's refusal. */
export type UnavailableApis = Partial<Record<InstanceApi, IErrorBody>>;

export interface IInstanceList {
  profile: string;
  apis: InstanceApi[];
  unavailable?: UnavailableApis;
  items: IInstance[];
}

export interface IFlavor {
  id: string;
  name: string;
  description: string;
  category: string | null;
  cpu: number | null;
  gpu: number;
  gpu_type: string | null;
  memory_gib: number | null;
  sold_out: boolean;
  free: boolean;
}

export interface IInstanceOptions {
  api: InstanceApi;
  images: { id: string; name: string; description?: string }[];
  flavors: IFlavor[];
  storage: string[];
  /** The auto-stop range in the API's own unit (seconds or milliseconds). */
  auto_stop: { unit: 's' | 'ms'; min: number; max: number } | null;
  workspace_id: string | null;
  /** DevEnviron: where an OBS folder left empty goes (`<obs_folder><name>/`, created). */
  obs_folder?: string | null;
}

const base = 'instances';
const one = (api: InstanceApi, id: string) =>
  `${base}/${api}/${encodeURIComponent(id)}`;

export function listInstances(): Promise<IInstanceList> {
  return requestAPI<IInstanceList>(base);
}

export function getInstance(api: InstanceApi, id: string): Promise<IInstance> {
  return requestAPI<IInstance>(one(api, id));
}

export function instanceOptions(api: InstanceApi): Promise<IInstanceOptions> {
  return requestAPI<IInstanceOptions>(`${base}/${api}/options`);
}

/** `request` is the API's own create body. */
export function createInstance(
  api: InstanceApi,
  request: Record<string, unknown>
): Promise<IInstance> {
  return requestAPI<IInstance>(base, {
    method: 'POST',
    body: JSON.stringify({ api, request })
  });
}

export function updateInstance(
  instance: IInstance,
  changes: Record<string, unknown>
): Promise<IInstance> {
  return requestAPI<IInstance>(one(instance.api, instance.id), {
    method: 'PATCH',
    body: JSON.stringify(changes)
  });
}

export function actOnInstance(
  instance: IInstance,
  action: string
): Promise<IInstance> {
  return requestAPI<IInstance>(`${one(instance.api, instance.id)}/${action}`, {
    method: 'POST'
  });
}

export async function deleteInstance(instance: IInstance): Promise<void> {
  await requestAPI<null>(one(instance.api, instance.id), { method: 'DELETE' });
}
