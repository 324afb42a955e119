import { requestAPI } from '../api';
import { IUploadSummary } from '../components/UploadPreview';
import { IErrorBody } from '../errors';
import { IWordedOperation } from '../wording';

/** What a path holds as a model (POST deployments/inspect). */
export interface IInspection {
  kind: 'package' | 'model_file' | 'saved_model';
  model_type: string | null;
  runtime: string | null;
  model_algorithm: string;
  suggested_name: string;
  model_version: string;
  generated: Record<string, string>;
  /** Why the package would not be accepted, as the server's refusals. */
  problems: IErrorBody[];
  /** The model file a generated package serves (for a folder: the one in it). */
  model_file?: string | null;
  /** What the upload of the path will send. */
  upload?: IUploadSummary;
}

export interface IServiceRequest {
  service_name: string;
  infer_type: 'real-time' | 'batch';
  specification: string;
  instance_count: number;
  envs: Record<string, string>;
  weight: number;
  other_models: { model_id: string; weight: number }[];
  cluster_id?: string;
  src_path?: string;
  dest_path?: string;
}

export interface IDeployRequest {
  path?: string;
  source_location?: string;
  /** A model of the Models list, deployed as it is (with `service`). */
  model_id?: string;
  source_job_id?: string;
  source_job_version?: string;
  model_name: string;
  model_version: string;
  model_type: string;
  runtime?: string;
  generate_package?: boolean;
  service?: IServiceRequest;
}

export interface IOperation extends IWordedOperation {
  id: string;
  kind: string;
  state: 'running' | 'succeeded' | 'failed' | 'cancelled' | 'interrupted';
  result: Record<string, any> | null;
  error: IErrorBody | null;
  created_at: number;
}

export interface IModel {
  model_id: string;
  model_name: string;
  model_version: string;
  model_status: string;
  model_type: string;
  create_at?: number;
  failed_reason?: string | null;
  runtime?: string | null;
  source_location?: string | null;
}

export interface IService {
  service_id: string;
  service_name: string;
  status: string;
  infer_type: string;
  access_address?: string | null;
  error_msg?: string | null;
  config?: Record<string, any>[];
}

export interface ISpecification {
  specification: string;
  billing_spec?: string;
  is_free?: boolean;
  over_quota?: boolean;
  spec_status?: string;
}

/** A dedicated resource pool services can run in (SV-11). */
export interface ICluster {
  cluster_id: string;
  cluster_name?: string | null;
  status?: string | null;
  created_at?: number | null;
}

export interface IPrediction {
  status: number;
  latency_ms: number;
  content_type: string | null;
  body: any;
}

const json = (method: string, body?: unknown): RequestInit => ({
  method,
  body: body === undefined ? undefined : JSON.stringify(body)
});
const id = encodeURIComponent;

export const deployApi = {
  inspect: (path: string) =>
    requestAPI<IInspection>('deployments/inspect', json('POST', { path })),
  nextVersion: async (name: string) =>
    (
      await requestAPI<{ model_version: string }>(
        `models/next-version?model_name=${id(name)}`
      )
    ).model_version,
  writePackage: async (path: string) =>
    (
      await requestAPI<{ path: string }>(
        'model-packages',
        json('POST', { path })
      )
    ).path,
  deploy: (request: IDeployRequest) =>
    requestAPI<IOperation>('deployments', json('POST', request)),
  resume: (operationId: string) =>
    requestAPI<IOperation>(
      `deployments/${id(operationId)}/resume`,
      json('POST')
    ),
  operations: async () =>
    (await requestAPI<{ operations: IOperation[] }>('operations?kind=deploy'))
      .operations,
  models: async () => (await requestAPI<{ models: IModel[] }>('models')).models,
  model: (modelId: string) => requestAPI<IModel>(`models/${id(modelId)}`),
  deleteModel: (modelId: string, cascade: boolean) =>
    requestAPI(`models/${id(modelId)}?cascade=${cascade}`, json('DELETE')),
  services: async () =>
    (await requestAPI<{ services: IService[] }>('services')).services,
  service: (serviceId: string) =>
    requestAPI<IService>(`services/${id(serviceId)}`),
  specifications: async (inferType: string) =>
    (
      await requestAPI<{ specifications: ISpecification[] }>(
        `services/specifications?infer_type=${id(inferType)}`
      )
    ).specifications,
  serviceInfo: async <T>(serviceId: string, part: string, key: string) =>
    (
      await requestAPI<Record<string, T[]>>(`services/${id(serviceId)}/${part}`)
    )[key],
  setRunning: (serviceId: string, running: boolean) =>
    requestAPI<IService>(
      `services/${id(serviceId)}/${running ? 'start' : 'stop'}`,
      json('POST')
    ),
  updateService: (
    serviceId: string,
    changes: { instance_count?: number; specification?: string }
  ) => requestAPI<IService>(`services/${id(serviceId)}`, json('PUT', changes)),
  deleteService: (serviceId: string) =>
    requestAPI(`services/${id(serviceId)}`, json('DELETE')),
  clusters: async () =>
    (await requestAPI<{ clusters?: ICluster[] }>('clusters')).clusters ?? [],
  /** SV-4: start or stop the service's instance on one edge node. */
  setNodeStatus: (
    serviceId: string,
    nodeId: string,
    status: 'running' | 'stopped'
  ) =>
    requestAPI(
      `services/${id(serviceId)}/nodes/${id(nodeId)}/status`,
      json('PUT', { status })
    ),
  predict: (serviceId: string, body: unknown) =>
    requestAPI<IPrediction>(
      `services/${id(serviceId)}/predict`,
      json('POST', body)
    ),
  /** A request body made from the model's request schema (config.json `apis`); null if none. */
  requestExample: (serviceId: string) =>
    requestAPI<{ body: unknown; model_id: string | null }>(
      `services/${id(serviceId)}/request-example`
    )
};
