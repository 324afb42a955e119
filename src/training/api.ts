import { ServerConnection } from '@jupyterlab/services';
import { URLExt } from '@jupyterlab/coreutils';

import { API_PATH, requestAPI } from '../api';
import { IUploadSummary } from '../components/UploadPreview';
import { IErrorBody } from '../errors';
import { IWordedOperation } from '../wording';

/** A run parameter, passed to the script as `--label=value`. */
export interface IParameter {
  label: string;
  value: string;
  help?: string;
}

/** A training job id: a number (v1 training API) or a UUID (v2). */
export type JobId = number | string;

/** Which training API an account trains through (see the REST `training_api`). */
export type TrainingApi = 'v1' | 'v2';

export interface IStatusFields {
  /** The numeric status (v1), or the job's phase such as `Running` (v2). */
  status: number | string;
  /** The numeric status as a word, e.g. `running`. */
  status_name: string;
  /** What the documentation says the status means. */
  status_meaning: string;
  terminal: boolean;
  stoppable: boolean;
}

export interface ITrainingJob extends IStatusFields {
  job_id: JobId;
  job_name: string | null;
  version_id: number | null;
  create_time: number | null;
  duration: number | null;
  job_desc: string | null;
  version_count: number | null;
  training_api?: TrainingApi;
}

/** A version's output and the folder of the server root proposed for its download. */
export interface IOutputProposal {
  train_url: string | null;
  files: { path: string; size: number }[];
  folder: string;
}

export interface ITrainingVersion extends IStatusFields {
  version_id: number;
  job_id: JobId | null;
  job_name?: string | null;
  version_name: string | null;
  spec_id: number | string | null;
  spec_code: string | null;
  engine_name: string | null;
  engine_version: string | null;
  worker_server_num: number | null;
  app_url: string | null;
  boot_file_url: string | null;
  data_url: string | null;
  train_url: string | null;
  log_url: string | null;
  parameter: IParameter[];
  duration: number | null;
  failure_reason?: string | null;
  /** Each worker's phase, where the service reports it (Local ModelArts). */
  task_statuses?: ITaskStatus[];
  /** v2: the job is its own only version (no new versions, no visualization). */
  training_api?: TrainingApi;
}

/** One worker of a version: `worker-0`, `worker-1`, ... */
export interface ITaskStatus {
  task: string;
  phase: string;
  log_file?: string;
}

/** The log API's `worker` that reads every worker's lines, each prefixed with its worker. */
export const ALL_WORKERS = 'all';

export interface ISpec {
  /** A number (v1 spec) or a flavor id (v2). */
  spec_id: number | string;
  /** The server's English label (a v2 flavor's: its id and upstream name). */
  label: string;
  spec_code?: string | null;
  /** v1 specs: vCPUs, memory in GiB (`cpu`), GPUs. */
  core?: string | null;
  cpu?: string | null;
  gpu_num?: number | null;
  gpu_type?: string | null;
  max_num: number | null;
  available: boolean;
}

export interface IEngine {
  engine_id: number | string;
  label: string;
}

export interface IDataInput {
  obs_url?: string;
  local_path?: string;
}

/** What the server proposes for a file before the user changes anything. */
export interface IPrefill {
  path: string;
  job_name: string;
  code_folder: string;
  code: IUploadSummary & { ignored_examples?: string[] };
  boot_file: string;
  notebook: boolean;
  data: IDataInput;
  obs_folder: string;
  train_url: string;
  log_url: string;
  parameters: IParameter[];
  worker_server_num: number;
  training_api?: TrainingApi;
  /** The engine the script's imports call for, and the module that says so. */
  engine?: {
    engine_id: number | string;
    framework: string;
    module: string;
  } | null;
}

/** The body of `POST training/jobs` (see the OpenAPI `TrainingLaunch`). */
export interface ILaunchRequest {
  path: string;
  job_name: string;
  job_desc?: string;
  code_folder?: string;
  boot_file?: string;
  data?: IDataInput;
  obs_folder?: string;
  train_url?: string;
  log_url?: string;
  spec_id: number | string;
  engine_id: number | string;
  worker_server_num: number;
  parameters: IParameter[];
  job_id?: JobId;
  save_config?: string;
}

export interface IOperation extends IWordedOperation {
  id: string;
  kind: string;
  state: 'running' | 'succeeded' | 'failed' | 'cancelled' | 'interrupted';
  result: { job_id: JobId; version_id: number; job_name: string } | null;
  error: IErrorBody | null;
}

export interface ILogChunk extends IStatusFields {
  content: string;
  lines?: number;
  end_line?: string | null;
  end_byte?: number | null;
  log_file: string | null;
  /** One log per worker, worker 0's first. */
  log_files?: string[];
}

export interface IConfigSummary {
  config_name: string;
  config_desc: string | null;
}

export interface IConfig {
  config_name: string;
  config_desc?: string | null;
  spec_id: number | null;
  engine_id: number | null;
  worker_server_num: number | null;
  app_url?: string | null;
  boot_file_url?: string | null;
  model_id?: number | null;
  data_url: string | null;
  train_url: string | null;
  log_url?: string | null;
  parameters: IParameter[];
}

/** The body of TC-3: the whole configuration, replaced (its name stays). */
export interface IConfigUpdate {
  config_desc?: string;
  spec_id: number;
  worker_server_num: number;
  engine_id?: number;
  model_id?: number;
  app_url?: string;
  boot_file_url?: string;
  data_url?: string;
  train_url?: string;
  log_url?: string;
  parameter: IParameter[];
}

/** A built-in algorithm (TJ-12): a model to train without code of one's own. */
export interface IAlgorithm {
  model_id: number;
  model_name: string | null;
  model_usage?: number | null;
  model_precision?: string | null;
  model_size?: number | null;
  /** Its run parameters: a list of {label, value, desc} (a JSON document on some clouds). */
  parameter?: unknown;
  engine_id?: number | null;
  engine_name?: string | null;
  engine_version?: string | null;
}

export interface IVisualizationJob extends IStatusFields {
  job_id: number;
  job_name: string | null;
  job_desc?: string | null;
  service_url: string | null;
  train_url: string | null;
  create_time?: number | null;
  duration?: number | null;
}

const json = (method: string, body?: unknown): RequestInit => ({
  method,
  body: body === undefined ? undefined : JSON.stringify(body)
});

const version = (jobId: JobId, versionId: number) =>
  `training/jobs/${jobId}/versions/${versionId}`;

export const trainingApi = {
  prefill: (path: string) =>
    requestAPI<IPrefill>(`training/prefill?path=${encodeURIComponent(path)}`),
  specs: async () =>
    (await requestAPI<{ specs: ISpec[] }>('catalog/specs')).specs,
  engines: async () =>
    (await requestAPI<{ engines: IEngine[] }>('catalog/engines')).engines,
  configs: async () =>
    (await requestAPI<{ configs: IConfigSummary[] }>('training/configs'))
      .configs,
  config: (name: string) =>
    requestAPI<IConfig>(`training/configs/${encodeURIComponent(name)}`),
  updateConfig: (name: string, body: IConfigUpdate) =>
    requestAPI<IConfig>(
      `training/configs/${encodeURIComponent(name)}`,
      json('PUT', body)
    ),
  deleteConfig: (name: string) =>
    requestAPI<unknown>(
      `training/configs/${encodeURIComponent(name)}`,
      json('DELETE')
    ),
  algorithms: async (search?: string) =>
    (
      await requestAPI<{ algorithms: IAlgorithm[] }>(
        search
          ? `catalog/algorithms?search=${encodeURIComponent(search)}`
          : 'catalog/algorithms'
      )
    ).algorithms,
  launch: (request: ILaunchRequest) =>
    requestAPI<IOperation>('training/jobs', json('POST', request)),
  retry: (operationId: string) =>
    requestAPI<IOperation>(
      `training/launches/${encodeURIComponent(operationId)}/retry`,
      json('POST')
    ),
  jobs: async () =>
    (await requestAPI<{ jobs: ITrainingJob[] }>('training/jobs')).jobs,
  versions: async (jobId: JobId) =>
    (
      await requestAPI<{ versions: ITrainingVersion[] }>(
        `training/jobs/${jobId}`
      )
    ).versions,
  version: (jobId: JobId, versionId: number) =>
    requestAPI<ITrainingVersion>(version(jobId, versionId)),
  describe: (jobId: JobId, description: string) =>
    requestAPI<unknown>(
      `training/jobs/${jobId}`,
      json('PUT', { job_desc: description })
    ),
  deleteJob: (jobId: JobId) =>
    requestAPI<unknown>(`training/jobs/${jobId}`, json('DELETE')),
  deleteVersion: (jobId: JobId, versionId: number) =>
    requestAPI<unknown>(version(jobId, versionId), json('DELETE')),
  stop: (jobId: JobId, versionId: number) =>
    requestAPI<ITrainingVersion>(
      `${version(jobId, versionId)}/stop`,
      json('POST')
    ),
  newVersion: (
    jobId: JobId,
    body: { pre_version_id: number; parameters: IParameter[] }
  ) =>
    requestAPI<{ version_id: number }>(
      `training/jobs/${jobId}/versions`,
      json('POST', body)
    ),
  log: (
    jobId: JobId,
    versionId: number,
    query: {
      api: 'lines' | 'bytes';
      /** A worker's task index, or ALL_WORKERS; worker 0 when not given. */
      worker?: string;
      base_line?: string;
      lines?: number;
      start_byte?: number;
    }
  ) => {
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(query)) {
      if (value !== undefined) {
        params.set(name, String(value));
      }
    }
    return requestAPI<ILogChunk>(
      `${version(jobId, versionId)}/log?${params.toString()}`
    );
  },
  output: (jobId: JobId, versionId: number) =>
    requestAPI<{
      train_url: string | null;
      files: { path: string; size: number }[];
    }>(`${version(jobId, versionId)}/output`),
  /** The output's files and the folder proposed for downloading it. */
  outputDownload: (jobId: JobId, versionId: number) =>
    requestAPI<IOutputProposal>(`${version(jobId, versionId)}/output/download`),
  downloadOutput: (
    jobId: JobId,
    versionId: number,
    body: { folder: string; overwrite?: boolean }
  ) =>
    requestAPI<{ folder: string; files: string[] }>(
      `${version(jobId, versionId)}/output/download`,
      json('POST', body)
    ),
  visualizations: async () =>
    (
      await requestAPI<{ jobs: IVisualizationJob[] }>(
        'training/visualization-jobs'
      )
    ).jobs,
  visualize: (jobName: string, trainUrl: string) =>
    requestAPI<IVisualizationJob>(
      'training/visualization-jobs',
      json('POST', { job_name: jobName, train_url: trainUrl })
    ),
  visualization: (jobId: JobId) =>
    requestAPI<IVisualizationJob>(`training/visualization-jobs/${jobId}`),
  describeVisualization: (jobId: JobId, description: string) =>
    requestAPI<IVisualizationJob>(
      `training/visualization-jobs/${jobId}`,
      json('PUT', { job_desc: description })
    ),
  visualizationAction: (jobId: JobId, action: 'stop' | 'restart') =>
    requestAPI<IVisualizationJob>(
      `training/visualization-jobs/${jobId}/${action}`,
      json('POST')
    ),
  deleteVisualization: (jobId: JobId) =>
    requestAPI<unknown>(`training/visualization-jobs/${jobId}`, json('DELETE'))
};

/** A worker's whole log (or every worker's) as text, fetched with the user's credentials for a download. */
export async function fetchFullLog(
  jobId: JobId,
  versionId: number,
  worker = '0',
  settings: ServerConnection.ISettings = ServerConnection.makeSettings()
): Promise<Blob> {
  const url =
    URLExt.join(
      settings.baseUrl,
      API_PATH,
      version(jobId, versionId),
      'log/download'
    ) + `?worker=${encodeURIComponent(worker)}`;
  const response = await ServerConnection.makeRequest(url, {}, settings);
  return response.blob();
}
