import { TranslationBundle } from '@jupyterlab/translation';

import { formatBytes, formatCount } from './format';

type Params = Record<string, unknown>;
type Words = (trans: TranslationBundle, params: Params) => string;

const text = (value: unknown): string => String(value ?? '');
const count = (value: unknown): string =>
  typeof value === 'number' ? formatCount(value) : text(value);

/**
 * Statuses the server and the clouds report (jobs, models, services,
 * instances, operations, steps), by their lower-case snake_case spelling.
 */
const STATUSES: Record<string, (trans: TranslationBundle) => string> = {
  unknown: trans => trans.__('unknown'),
  init: trans => trans.__('initializing'),
  image_creating: trans => trans.__('creating the image'),
  image_failed: trans => trans.__('image failed'),
  submit_trying: trans => trans.__('submitting'),
  submit_failed: trans => trans.__('submit failed'),
  delete_failed: trans => trans.__('delete failed'),
  waiting: trans => trans.__('waiting'),
  running: trans => trans.__('running'),
  killing: trans => trans.__('stopping'),
  completed: trans => trans.__('completed'),
  failed: trans => trans.__('failed'),
  killed: trans => trans.__('stopped'),
  canceled: trans => trans.__('cancelled'),
  cancelled: trans => trans.__('cancelled'),
  lost: trans => trans.__('lost'),
  scaling: trans => trans.__('scaling'),
  submit_model_failed: trans => trans.__('model submit failed'),
  deploy_service_failed: trans => trans.__('service deploy failed'),
  check_init: trans => trans.__('checking'),
  check_running: trans => trans.__('checking'),
  check_running_completed: trans => trans.__('checked'),
  check_failed: trans => trans.__('check failed'),
  pending: trans => trans.__('pending'),
  succeeded: trans => trans.__('succeeded'),
  skipped: trans => trans.__('skipped'),
  interrupted: trans => trans.__('interrupted'),
  publishing: trans => trans.__('publishing'),
  published: trans => trans.__('published'),
  building: trans => trans.__('building'),
  deploying: trans => trans.__('deploying'),
  concerning: trans => trans.__('concerning'),
  stopped: trans => trans.__('stopped'),
  finished: trans => trans.__('finished'),
  deleting: trans => trans.__('deleting'),
  deleted: trans => trans.__('deleted'),
  creating: trans => trans.__('creating'),
  create_queuing: trans => trans.__('queued to create'),
  start_queuing: trans => trans.__('queued to start'),
  ready_to_start: trans => trans.__('ready to start'),
  starting: trans => trans.__('starting'),
  restarting: trans => trans.__('restarting'),
  stopping: trans => trans.__('stopping'),
  create_failed: trans => trans.__('create failed'),
  start_failed: trans => trans.__('start failed'),
  error: trans => trans.__('error'),
  env_preparing: trans => trans.__('preparing'),
  queuing: trans => trans.__('queued'),
  pending_queue: trans => trans.__('queued'),
  abnormal: trans => trans.__('abnormal'),
  terminated: trans => trans.__('stopped')
};

/** "EnvPreparing", "CREATE_QUEUING" and "running" as STATUSES keys. */
function statusKey(status: string): string {
  return status
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .replace(/[\s-]+/g, '_')
    .toLowerCase();
}

/** A status in the user's language; one the product does not know as it came. */
export function statusLabel(status: string, trans: TranslationBundle): string {
  const words = STATUSES[statusKey(status)];
  return words ? words(trans) : status;
}

/** Operation titles and step messages by the code the server sends. */
const MESSAGES: Record<string, Words> = {
  TRAIN: (trans, p) => trans.__('Train %1', text(p.job_name)),
  DEPLOY: (trans, p) => trans.__('Deploy %1', text(p.name)),
  IMPORT: (trans, p) => trans.__('Import %1', text(p.name)),
  FILES_STAGED: (trans, p) =>
    trans.__('%1 files, %2', count(p.files), formatBytes(Number(p.bytes))),
  FILES_SENT: (trans, p) =>
    trans.__('%1/%2 files', count(p.done), count(p.total)),
  UPLOADED: (trans, p) =>
    trans.__(
      '%1 uploaded, %2 unchanged',
      count(p.uploaded),
      count(p.unchanged)
    ),
  DATA_ON_OBS: trans => trans.__('the data is on OBS'),
  NOT_ASKED: trans => trans.__('not asked for'),
  IS_PACKAGE: trans => trans.__('the folder is a model package'),
  BUILT_IN_SERVICE: trans => trans.__('served by the built-in service'),
  IMPORTED_FROM_OBS: trans => trans.__('imported from OBS'),
  ALREADY_IN_OBS: trans => trans.__('already in OBS'),
  IMPORTED_EARLIER: trans => trans.__('imported by an earlier run'),
  DEPLOYED_EARLIER: trans => trans.__('deployed by an earlier run'),
  STATUS: (trans, p) => statusLabel(text(p.status), trans)
};

/** The steps of every operation, by the step's name. */
const STEPS: Record<string, (trans: TranslationBundle) => string> = {
  prepare: trans => trans.__('Prepare the code folder'),
  upload_code: trans => trans.__('Upload the code'),
  upload_data: trans => trans.__('Upload the data'),
  create: trans => trans.__('Create the training job'),
  save_config: trans => trans.__('Save the training job configuration'),
  package: trans => trans.__('Generate the model package'),
  upload: trans => trans.__('Upload the model to OBS'),
  import: trans => trans.__('Import the model'),
  publish: trans => trans.__('Wait until the model is published'),
  deploy: trans => trans.__('Deploy the service'),
  running: trans => trans.__('Wait until the service runs')
};

/** A step of a long operation: `name` is its code, `title` and `message` the server's English. */
export interface IOperationStep {
  name: string;
  title: string;
  state: 'pending' | 'running' | 'succeeded' | 'failed' | 'skipped';
  progress: number | null;
  message: string | null;
  message_code?: string | null;
  message_params?: Params | null;
}

/** What every long operation says, as codes and the server's English. */
export interface IWordedOperation {
  title: string;
  title_code?: string | null;
  title_params?: Params;
  steps: IOperationStep[];
}

function word(
  code: string | null | undefined,
  params: Params | null | undefined,
  english: string,
  trans: TranslationBundle
): string {
  const words = code ? MESSAGES[code] : undefined;
  return words ? words(trans, params ?? {}) : english;
}

/** The operation's title in the user's language (the server's English if its code is unknown). */
export function operationTitle(
  operation: IWordedOperation,
  trans: TranslationBundle
): string {
  return word(
    operation.title_code,
    operation.title_params,
    operation.title,
    trans
  );
}

export function stepTitle(
  step: IOperationStep,
  trans: TranslationBundle
): string {
  const words = STEPS[step.name];
  return words ? words(trans) : step.title;
}

/** What the step said last, or its state when it said nothing. */
export function stepMessage(
  step: IOperationStep,
  trans: TranslationBundle
): string {
  if (step.message === null) {
    return statusLabel(step.state, trans);
  }
  return word(step.message_code, step.message_params, step.message, trans);
}

/** What a training status means (the document's text), by its lower-case name. */
const STATUS_MEANINGS: Record<string, (trans: TranslationBundle) => string> = {
  unknown: trans => trans.__('Unknown status.'),
  init: trans => trans.__('The job is being initialized.'),
  image_creating: trans => trans.__('The job image is being created.'),
  image_failed: trans => trans.__('Failed to create the job image.'),
  submit_trying: trans => trans.__('The job is being submitted.'),
  submit_failed: trans => trans.__('Failed to submit the job.'),
  delete_failed: trans => trans.__('Failed to delete the job.'),
  waiting: trans => trans.__('The job is queuing.'),
  running: trans => trans.__('The job is running.'),
  killing: trans => trans.__('The job is being canceled.'),
  completed: trans => trans.__('The job has been completed.'),
  failed: trans => trans.__('Failed to run the job.'),
  killed: trans => trans.__('Job canceled successfully.'),
  canceled: trans => trans.__('Job canceled.'),
  lost: trans => trans.__('Job lost.'),
  scaling: trans => trans.__('The job is being scaled.'),
  submit_model_failed: trans => trans.__('Failed to submit the model.'),
  deploy_service_failed: trans => trans.__('Failed to deploy the service.'),
  check_init: trans => trans.__('The job review is being initialized.'),
  check_running: trans => trans.__('The job is being reviewed.'),
  check_running_completed: trans => trans.__('The approval job is completed.'),
  check_failed: trans => trans.__('Failed to review the job.'),
  creating: trans => trans.__('The job is being created.'),
  pending: trans => trans.__('The job is queuing for resources.'),
  terminating: trans => trans.__('The job is being stopped.'),
  terminated: trans => trans.__('The job was stopped.'),
  abnormal: trans => trans.__('The job is abnormal.')
};

/** A training status's meaning in the user's language (`english`, the server's, otherwise). */
export function statusMeaning(
  status: string,
  english: string,
  trans: TranslationBundle
): string {
  const words = STATUS_MEANINGS[statusKey(status)];
  return words ? words(trans) : english;
}

/** Cloud names, by the preset's name. */
const CLOUDS: Record<string, (trans: TranslationBundle) => string> = {
  huaweicloud: trans => trans.__('Huawei Cloud'),
  tcloudpublic: trans => trans.__('T Cloud Public'),
  hcs: trans => trans.__('Huawei Cloud Stack'),
  alibabacloud: trans => trans.__('Alibaba Cloud (PAI DSW)'),
  local: trans => trans.__('Local ModelArts')
};

/** Region names, by cloud and region id (one id names other places in other clouds). */
const REGIONS: Record<string, (trans: TranslationBundle) => string> = {
  'huaweicloud/cn-north-4': trans => trans.__('CN North-Beijing4'),
  'huaweicloud/cn-north-1': trans => trans.__('CN North-Beijing1'),
  'huaweicloud/cn-east-3': trans => trans.__('CN East-Shanghai1'),
  'huaweicloud/cn-south-1': trans => trans.__('CN South-Guangzhou'),
  'huaweicloud/cn-southwest-2': trans => trans.__('CN Southwest-Guiyang1'),
  'huaweicloud/ap-southeast-1': trans => trans.__('CN-Hong Kong'),
  'huaweicloud/ap-southeast-2': trans => trans.__('AP-Bangkok'),
  'huaweicloud/ap-southeast-3': trans => trans.__('AP-Singapore'),
  'huaweicloud/af-south-1': trans => trans.__('AF-Johannesburg'),
  'huaweicloud/la-south-2': trans => trans.__('LA-Santiago'),
  'huaweicloud/sa-brazil-1': trans => trans.__('LA-Sao Paulo1'),
  'huaweicloud/la-north-2': trans => trans.__('LA-Mexico City2'),
  'huaweicloud/tr-west-1': trans => trans.__('TR-Istanbul'),
  'huaweicloud/me-east-1': trans => trans.__('ME-Riyadh'),
  'huaweicloud/eu-west-101': trans => trans.__('EU-Dublin'),
  'tcloudpublic/eu-de': trans => trans.__('EU-Germany (eu-de)'),
  'tcloudpublic/eu-nl': trans => trans.__('EU-Netherlands (eu-nl)'),
  'alibabacloud/cn-hangzhou': trans => trans.__('China (Hangzhou)'),
  'alibabacloud/cn-shanghai': trans => trans.__('China (Shanghai)'),
  'alibabacloud/cn-beijing': trans => trans.__('China (Beijing)'),
  'alibabacloud/cn-shenzhen': trans => trans.__('China (Shenzhen)'),
  'alibabacloud/cn-wulanchabu': trans => trans.__('China (Ulanqab)'),
  'alibabacloud/cn-hongkong': trans => trans.__('China (Hong Kong)'),
  'alibabacloud/ap-southeast-1': trans => trans.__('Singapore'),
  'alibabacloud/ap-southeast-5': trans => trans.__('Indonesia (Jakarta)'),
  'alibabacloud/ap-northeast-1': trans => trans.__('Japan (Tokyo)'),
  'alibabacloud/eu-central-1': trans => trans.__('Germany (Frankfurt)'),
  'alibabacloud/us-west-1': trans => trans.__('US (Silicon Valley)'),
  'alibabacloud/us-east-1': trans => trans.__('US (Virginia)')
};

/** A cloud preset's name in the user's language (`english`, the server's, otherwise). */
export function cloudLabel(
  cloud: string,
  english: string,
  trans: TranslationBundle
): string {
  const words = CLOUDS[cloud];
  return words ? words(trans) : english;
}

/** A region's name in the user's language (`english`, the server's, otherwise). */
export function regionLabel(
  cloud: string,
  region: string,
  english: string,
  trans: TranslationBundle
): string {
  const words = REGIONS[`${cloud}/${region}`];
  return words ? words(trans) : english;
}

/** A service's inference type ("real-time", "batch") as the Deploy dialog names it. */
export function serviceTypeLabel(
  type: string,
  trans: TranslationBundle
): string {
  if (type === 'real-time') {
    return trans.__('Real-time');
  }
  return type === 'batch' ? trans.__('Batch') : type;
}
