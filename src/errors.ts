import { TranslationBundle } from '@jupyterlab/translation';

import { APIError } from './api';
import { ErrorParams, text, Wording } from './errorWording';
import { RULE_WORDINGS } from './ruleWordings';
import { statusLabel } from './wording';

/** An endpoint's refusal, by the reason the server sends. */
const ENDPOINT_PROBLEMS: Record<
  string,
  (url: string, trans: TranslationBundle) => string
> = {
  not_a_url: (url, trans) => trans.__('%1 is not a URL', url),
  no_host: (url, trans) => trans.__('%1 has no host', url),
  not_https: (url, trans) =>
    trans.__('%1 must be https (plain http only to this machine)', url),
  link_local: (url, trans) =>
    trans.__('%1 must not be a link-local address', url),
  host_not_allowed: (url, trans) =>
    trans.__('%1 is not among the hosts the administrator allows', url)
};

/** Why a model package would not be accepted, by the reason the server sends. */
const PACKAGE_PROBLEMS: Record<
  string,
  (p: ErrorParams, trans: TranslationBundle) => string
> = {
  not_json: (p, trans) =>
    trans.__('%1 is not valid JSON: %2', text(p.file), text(p.error)),
  not_an_object: (p, trans) =>
    trans.__('%1 must hold a JSON object', text(p.file)),
  model_type: (p, trans) =>
    trans.__('%1: model_type must be one of %2', text(p.file), text(p.choices)),
  model_algorithm: (p, trans) =>
    trans.__('%1: model_algorithm is required (1-36 characters)', text(p.file)),
  service_file: (p, trans) =>
    trans.__('%1 is required for %2 models', text(p.file), text(p.model_type)),
  state_dict: (p, trans) =>
    trans.__(
      "%1 is a PyTorch state dict: it needs the model's class to run. Save it with torch.jit.script(model).save(...), or write a model package with %2 that builds the model and loads the state dict",
      text(p.name),
      text(p.file)
    )
};

/** What one training API generation alone offers, with the alternative on the other. */
const ONE_GENERATION_ONLY: Record<
  string,
  (trans: TranslationBundle) => [string, string]
> = {
  new_version: trans => [
    trans.__('New versions of a job'),
    trans.__('train a new job from the file instead')
  ],
  new_version_launch: trans => [
    trans.__('New versions of a job'),
    trans.__('train a new job under another name')
  ],
  configs: trans => [
    trans.__('Training job configurations'),
    trans.__("fill in the dialog's fields")
  ],
  configs_save: trans => [
    trans.__('Training job configurations'),
    trans.__('leave the configuration name empty')
  ],
  log_offsets: trans => [
    trans.__('Logs by byte offset'),
    trans.__('read the log by lines')
  ],
  all_task_logs: trans => [
    trans.__("Every task's log in one view"),
    trans.__('pick one task')
  ],
  visualization_jobs: trans => [
    trans.__('TensorBoard visualization jobs'),
    trans.__(
      "open the job's output folder in TensorBoard from a notebook instead"
    )
  ],
  built_in_algorithms: trans => [
    trans.__('Built-in algorithms'),
    trans.__('train your own code from a file')
  ],
  events: trans => [
    trans.__("A job's events"),
    trans.__('its log tells how it went')
  ],
  metrics: trans => [
    trans.__("A job's resource metrics"),
    trans.__('its version details show its resource use')
  ]
};

/** The refusal of what only the other training API generation offers. */
function otherGeneration(
  params: ErrorParams,
  trans: TranslationBundle
): string | null {
  const feature = ONE_GENERATION_ONLY[text(params.feature)];
  if (!feature) {
    return null;
  }
  const [what, alternative] = feature(trans);
  return params.reason === 'v1_only'
    ? trans.__(
        '%1: part of the old training API (v1), which this account does not train through (it uses v2); %2',
        what,
        alternative
      )
    : trans.__(
        '%1: part of the current training API (v2), which this account does not train through (it uses v1); %2',
        what,
        alternative
      );
}

/**
 * Errors the server sends as a code and parameters, worded here in the
 * user's language (the server's English message is the fallback).
 */
const WORDINGS: Record<string, Wording> = {
  ...RULE_WORDINGS,
  FIELD_REQUIRED: (_, trans) => trans.__('is required'),
  TOO_SHORT: (p, trans) =>
    trans.__('the length must be at least %1', text(p.min_length)),
  TOO_LONG: (p, trans) =>
    trans.__('the length must be at most %1', text(p.max_length)),
  TOO_FEW: (p, trans) =>
    trans.__('the number of entries must be at least %1', text(p.min_length)),
  TOO_MANY: (p, trans) =>
    trans.__('the number of entries must be at most %1', text(p.max_length)),
  PATTERN_MISMATCH: (p, trans) =>
    trans.__('does not have the expected form %1', text(p.pattern)),
  OUT_OF_RANGE: (p, trans) => {
    if (p.ge !== undefined) {
      return trans.__('must be at least %1', text(p.ge));
    }
    if (p.gt !== undefined) {
      return trans.__('must be greater than %1', text(p.gt));
    }
    if (p.le !== undefined) {
      return trans.__('must be at most %1', text(p.le));
    }
    return trans.__('must be less than %1', text(p.lt));
  },
  NOT_A_CHOICE: (p, trans) => trans.__('must be one of %1', text(p.expected)),
  UNKNOWN_FIELD: (_, trans) => trans.__('is not a known field'),
  FORBIDDEN_CHARACTERS: (p, trans) =>
    trans.__('must not contain %1', text(p.characters)),
  NO_SUCH_PROFILE: (p, trans) => trans.__('no profile named %1', text(p.name)),
  READ_ONLY: (p, trans) =>
    trans.__('profile %1 is managed by the administrator', text(p.name)),
  ENDPOINT_REFUSED: (p, trans) => {
    const refusal = ENDPOINT_PROBLEMS[text(p.reason)];
    return refusal ? refusal(text(p.url), trans) : null;
  },
  SECRET_REQUIRED: (_, trans) =>
    trans.__(
      'enter the secret again to use it with other endpoints or another region'
    ),
  CREDENTIALS_REQUIRED: (_, trans) =>
    trans.__('credentials are required for a new profile'),
  CANNOT_RENAME: (_, trans) => trans.__('a profile cannot be renamed'),
  BACKEND_OF_CLOUD: (p, trans) =>
    trans.__('%1 profiles use the %2 backend', text(p.cloud), text(p.backend)),
  LOCAL_PROFILE_EXISTS: (_, trans) =>
    trans.__('the local profile always exists'),
  DOMAIN_OR_IAM_REQUIRED: (p, trans) =>
    trans.__(
      '%1 needs its domain (endpoints are {service}.{region}.{domain}) or at least its IAM endpoint',
      text(p.cloud)
    ),
  NO_MODELARTS_ENDPOINT: (_, trans) =>
    trans.__(
      "no ModelArts endpoint: give the cloud's domain or the ModelArts endpoint, or sign in with an IAM password so that the token's catalog names it"
    ),
  NO_SUCH_REGION: (p, trans) =>
    trans.__(
      '%1 has no region %2: one of %3',
      text(p.cloud),
      text(p.region),
      text(p.choices)
    ),
  SERVICE_NOT_IN_REGION: (p, trans) =>
    p.offered
      ? trans.__(
          '%1 does not offer %2 in %3; it is in %4',
          text(p.cloud),
          text(p.service),
          text(p.region),
          text(p.offered)
        )
      : trans.__(
          '%1 does not offer %2 in %3',
          text(p.cloud),
          text(p.service),
          text(p.region)
        ),
  DOMAIN_REQUIRED: (p, trans) =>
    trans.__(
      '%1 needs its domain (e.g. example.com) or an endpoint for %2',
      text(p.cloud),
      text(p.service)
    ),
  UNKNOWN_CLOUD: (p, trans) =>
    trans.__('unknown cloud %1: one of %2', text(p.cloud), text(p.choices)),
  WRONG_BACKEND: (p, trans) =>
    p.pai
      ? trans.__('profile %1 is a PAI DSW profile', text(p.name))
      : trans.__('profile %1 is not a PAI DSW profile', text(p.name)),
  NO_CREDENTIALS: (p, trans) =>
    trans.__('profile %1 has no credentials', text(p.name)),
  UNKNOWN_API: (p, trans) =>
    trans.__(
      'profile %1 offers %2, not %3',
      text(p.name),
      text(p.offered),
      text(p.api)
    ),
  UNKNOWN_ACTION: (p, trans) =>
    trans.__(
      'the %1 API offers %2, not %3',
      text(p.api),
      text(p.offered),
      text(p.action)
    ),
  CONTROL_CHARACTER: (p, trans) =>
    trans.__('the path contains the control character %1', text(p.character)),
  HALF_SURROGATE: (p, trans) =>
    trans.__(
      'the path contains %1, half of a UTF-16 pair, which no file name can hold',
      text(p.character)
    ),
  OUTSIDE_ROOT: (p, trans) => {
    switch (p.reason) {
      case 'absolute':
        return trans.__('the path must be relative to the server root');
      case 'parent':
        return trans.__("the path must not contain '..'");
      case 'leads_outside':
        return trans.__('%1 leads outside the server root', text(p.path));
      default:
        return null;
    }
  },
  NO_SUCH_PATH: (p, trans) => trans.__('%1 does not exist', text(p.path)),
  NO_SUCH_WORKER: (p, trans) =>
    trans.__('a worker index below %1 or %2', text(p.workers), text(p.all)),
  ALL_WORKERS_BY_LINES: (_, trans) =>
    trans.__("every worker's log is read by lines"),
  LINE_MARKERS: (p, trans) =>
    trans.__('one line marker per worker (%1)', text(p.workers)),
  NO_LOG_YET: (_, trans) => trans.__('this version has no log yet'),
  NOT_OFFERED: (p, trans) => {
    switch (p.reason) {
      case 'devenviron':
        return trans.__(
          'The old DevEnviron API is not offered by %1; use the Notebooks API.',
          text(p.cloud)
        );
      case 'no_training':
        return trans.__(
          '%1 has no ModelArts training; use a ModelArts profile.',
          text(p.cloud)
        );
      case 'training_generation':
        return trans.__(
          'Training %1 is not offered by %2; use training %3.',
          text(p.generation),
          text(p.cloud),
          text(p.offered)
        );
      case 'v1_only':
      case 'v2_only':
        return otherGeneration(p, trans);
      default:
        return null;
    }
  },
  INTERRUPTED: (_, trans) =>
    trans.__(
      'The server stopped while this operation ran; run it again to continue where it stopped.'
    ),
  CANCELLED: (_, trans) => trans.__('Cancelled by the user.'),
  NOT_TRAINABLE: (_, trans) => trans.__('must be a .py file or a notebook'),
  NOT_A_FOLDER: (_, trans) => trans.__('is not a folder'),
  CODE_FOLDER_TOO_WIDE: (_, trans) =>
    trans.__(
      "the server root or home folder would upload everything in it: choose (or make) a folder that holds only the job's code"
    ),
  FILE_OUTSIDE_CODE_FOLDER: (_, trans) =>
    trans.__('the file must be inside the code folder'),
  NO_SUCH_BOOT_FILE: (_, trans) => trans.__('no such file in the code folder'),
  DUPLICATE: (p, trans) =>
    trans.__('a training job of this name exists: %1', text(p.alternative)),
  UNKNOWN_SPEC: (p, trans) =>
    trans.__('unknown resource spec %1', text(p.spec_id)),
  TOO_MANY_WORKERS: (p, trans) =>
    trans.__('this spec allows at most %1 workers', text(p.max_num)),
  UNKNOWN_ENGINE: (p, trans) =>
    trans.__('unknown AI engine %1', text(p.engine_id)),
  NOT_RETRYABLE: (p, trans) =>
    trans.__('The launch has %1.', statusLabel(text(p.state), trans)),
  ALREADY_CREATED: (p, trans) =>
    trans.__('Job %1 was created (id %2).', text(p.job_name), text(p.job_id)),
  MODEL_FAILED: (p, trans) =>
    trans.__(
      'Model %1 is %2: %3. It stays in the Models list: delete it there, fix the package and deploy again.',
      text(p.name),
      statusLabel(text(p.status), trans),
      text(p.reason) || trans.__('no reason given')
    ),
  SERVICE_FAILED: (p, trans) =>
    trans.__(
      'Service %1 is %2: %3. It stays in the Services list: see its events, then start it again or delete it.',
      text(p.name),
      statusLabel(text(p.status), trans),
      text(p.reason) || trans.__('no reason given')
    ),
  FOLDER_OF_OTHER_JOB: (p, trans) =>
    trans.__(
      '%1 belongs to training job %2: leave the field empty to use the folder of this job.',
      text(p.url),
      text(p.job_name)
    ),
  FOLDER_OF_OTHER_JOBS: (p, trans) =>
    trans.__(
      '%1 holds the folders of every training job: leave the field empty to use the folder of this job.',
      text(p.url)
    ),
  FOLDER_OF_OTHER_VERSION: (p, trans) =>
    trans.__(
      '%1 is a folder of another version (%2): leave the field empty to use the folder of this version.',
      text(p.url),
      text(p.version)
    ),
  FOLDER_NOT_EMPTY: (p, trans) =>
    trans.__(
      '%1 already holds %2 files of an earlier run: choose an empty folder.',
      text(p.url),
      text(p.count)
    ),
  NOT_A_MODEL: (p, trans) =>
    trans.__(
      '%1 holds no model: deploy a model package (with config.json), a TensorFlow SavedModel (saved_model.pb) or a folder with one model file (%2).',
      text(p.name),
      text(p.suffixes)
    ),
  NOT_A_MODEL_FILE: (p, trans) =>
    trans.__('%1 is not a model file (%2).', text(p.name), text(p.suffixes)),
  SEVERAL_MODEL_FILES: (p, trans) =>
    trans.__(
      '%1 holds several model files (%2): deploy one of them.',
      text(p.folder),
      text(p.files)
    ),
  INVALID_ID: (p, trans) => {
    switch (p.reason) {
      case 'not_an_id':
        return trans.__('%1: not a valid id', text(p.name));
      case 'too_long':
        return trans.__('%1: too long for an id', text(p.name));
      case 'not_a_job_id':
        return trans.__('is not a training job id');
      default:
        return null;
    }
  },
  INVALID_JSON: (p, trans) =>
    p.reason === 'not_an_object'
      ? trans.__('the request body must be a JSON object')
      : trans.__('the request body is not valid JSON'),
  BODY_TOO_LARGE: (p, trans) =>
    trans.__('the request body is larger than %1 bytes', text(p.limit)),
  UPSTREAM_INVALID: (_, trans) =>
    trans.__(
      'the service answered with something other than its documented JSON'
    ),
  UNREACHABLE: (p, trans) =>
    p.service
      ? trans.__('%1 is unreachable: %2', text(p.service), text(p.error))
      : null,
  NOT_A_WHOLE_NUMBER: (p, trans) =>
    p.minimum === undefined
      ? trans.__('must be a whole number')
      : trans.__('must be a whole number, %1 or more', text(p.minimum)),
  NOT_AN_OBJECT: (_, trans) => trans.__('an object is required'),
  NOT_A_NUMBER: (_, trans) => trans.__('must be a number'),
  NOT_TRUE_OR_FALSE: (_, trans) => trans.__('must be true or false'),
  NOT_TEXT: (_, trans) => trans.__('must be text'),
  NOT_A_LIST: (_, trans) => trans.__('must be a list'),
  NOT_BASE64: (_, trans) => trans.__('must be base64'),
  GIVE_ONE_OF: (p, trans) => trans.__('give one of %1', text(p.fields)),
  UNUSABLE_PATH: (p, trans) =>
    trans.__('%1 cannot be used: %2', text(p.path), text(p.error)),
  INVALID_NOTEBOOK: (p, trans) =>
    trans.__('cannot convert the notebook: %1', text(p.error)),
  NO_ACCESS_KEY: (p, trans) =>
    trans.__(
      'profile %1 needs an access key (AK/SK) to upload to OBS',
      text(p.name)
    ),
  NO_OBS_ENDPOINT: (p, trans) =>
    trans.__(
      'profile %1 names no OBS endpoint and its cloud gives none',
      text(p.name)
    ),
  NO_SUCH_OPERATION: (p, trans) => trans.__('no operation %1', text(p.id)),
  WRONG_KIND: (p, trans) => {
    switch (p.kind) {
      case 'deploy':
        return trans.__('not a deployment');
      case 'training_launch':
        return trans.__('not a training launch');
      default:
        return null;
    }
  },
  ALREADY_RUNNING: (_, trans) => trans.__('this operation is already running'),
  NOT_RUNNING: (_, trans) => trans.__('the operation is not running'),
  NOT_RESUMABLE: (p, trans) =>
    trans.__('The deployment has %1.', statusLabel(text(p.state), trans)),
  JOB_HAS_NO_VERSION: (_, trans) => trans.__('the job has no version'),
  NO_SUCH_VERSION: (p, trans) =>
    trans.__('a v2 training job has one version, %1', text(p.version)),
  NOT_STOPPABLE: (p, trans) =>
    trans.__(
      'The job is %1: only a queued or running job can be stopped.',
      statusLabel(text(p.status), trans)
    ),
  NO_OUTPUT: (_, trans) => trans.__('this version wrote no output (yet)'),
  OUTPUT_EXISTS: (p, trans) =>
    trans.__(
      '%1 file(s) of the output are already in %2: %3',
      text(p.count),
      text(p.folder),
      text(p.files)
    ),
  NO_SUCH_ACTION: (p, trans) => trans.__('unknown action %1', text(p.action)),
  ALREADY_A_PACKAGE: (p, trans) =>
    trans.__('%1 already is a model package', text(p.name)),
  NEEDS_INFERENCE_CODE: (p, trans) =>
    trans.__(
      'a %1 model needs inference code: generate the package',
      text(p.model_type)
    ),
  MODEL_NOT_PUBLISHED: (p, trans) =>
    trans.__(
      'Model %1 %2 is %3: only a published model can be deployed.',
      text(p.name),
      text(p.version),
      statusLabel(text(p.status), trans)
    ),
  MODEL_VERSION_EXISTS: (p, trans) =>
    trans.__(
      '%1 %2 already exists: choose another version',
      text(p.name),
      text(p.version)
    ),
  SERVICE_REQUIRED: (_, trans) =>
    trans.__('an imported model is deployed: give the service'),
  SERVICE_EXISTS: (p, trans) =>
    trans.__('a service named %1 already exists', text(p.name)),
  NO_SUCH_SERVICE: (p, trans) => trans.__('no service %1', text(p.name)),
  SERVICE_NOT_RUNNING: (p, trans) =>
    trans.__(
      'Service %1 is %2: start it first.',
      text(p.name),
      statusLabel(text(p.status), trans)
    ),
  NO_ANSWER: (p, trans) =>
    trans.__('the service did not answer: %1', text(p.error)),
  NO_SUCH_POOL: (p, trans) =>
    trans.__('no dedicated resource pool %1', text(p.cluster_id)),
  POOL_NOT_RUNNING: (p, trans) =>
    trans.__(
      'Resource pool %1 is %2: choose one that runs.',
      text(p.name),
      statusLabel(text(p.status), trans)
    ),
  INVALID_PACKAGE: (p, trans) =>
    PACKAGE_PROBLEMS[text(p.reason)]?.(p, trans) ?? null,
  FREE_FLAVOR_ONLY: (_, trans) =>
    trans.__('only instances of a free flavor can queue'),
  INSTANCE_SETTLING: (p, trans) =>
    trans.__(
      'the instance is %1: wait until it settles',
      statusLabel(text(p.status), trans)
    ),
  STOP_FIRST: (_, trans) =>
    trans.__('a running instance must be stopped first'),
  NOT_IN_STATUS: (p, trans) =>
    trans.__(
      'not possible while the instance is %1',
      statusLabel(text(p.status), trans)
    )
};

/** An error as the REST API and operation records carry it. */
export interface IErrorBody {
  code: string;
  message: string;
  params?: ErrorParams;
}

/** The error's message in the user's language when its code is known. */
export function errorMessage(
  error: IErrorBody,
  trans: TranslationBundle
): string {
  const wording = WORDINGS[error.code];
  return wording?.(error.params ?? {}, trans) ?? error.message;
}

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
  const message = errorMessage(error, trans);
  return details.length > 0 ? `${message} (${details.join(', ')})` : message;
}
