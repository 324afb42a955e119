import { Dialog, ReactWidget } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';
import { UploadPreview } from '../components/UploadPreview';

import {
  IConfigSummary,
  IEngine,
  ILaunchRequest,
  IParameter,
  IPrefill,
  ISpec,
  ITrainingJob
} from './api';

/** What the dialog edits; strings where the user types numbers. */
export interface ILaunchValues {
  /** '' for a new job, else the id of the job that gets a new version. */
  jobId: string;
  jobName: string;
  jobDesc: string;
  codeFolder: string;
  bootFile: string;
  dataKind: 'obs' | 'local';
  dataObsUrl: string;
  dataLocalPath: string;
  trainUrl: string;
  logUrl: string;
  specId: string;
  engineId: string;
  workers: string;
  parameters: IParameter[];
  saveConfig: string;
}

export type LaunchFieldErrors = Partial<Record<string, string>>;

const JOB_NAME = /^[A-Za-z0-9_-]{1,64}$/;
const CONFIG_NAME = /^[A-Za-z0-9_-]{1,20}$/;
export const LABEL = /^[A-Za-z0-9_.-]{1,64}$/;

/** A v1 spec's code with its vCPUs, memory and GPUs in the user's language. */
export function specLabel(spec: ISpec, trans: TranslationBundle): string {
  const parts: string[] = [];
  if (spec.core) {
    parts.push(trans.__('%1 vCPUs', spec.core));
  }
  if (spec.cpu) {
    parts.push(trans.__('%1 GiB', spec.cpu));
  }
  if (spec.gpu_num) {
    parts.push(trans.__('%1x %2', spec.gpu_num, spec.gpu_type ?? 'GPU'));
  }
  if (parts.length === 0) {
    return spec.label;
  }
  return trans.__(
    '%1 (%2)',
    spec.spec_code ?? String(spec.spec_id),
    parts.join(trans.__(', '))
  );
}

export function initialValues(
  prefill: IPrefill,
  specs: ISpec[],
  engines: IEngine[]
): ILaunchValues {
  const spec = specs.find(s => s.available) ?? specs[0];
  return {
    jobId: '',
    jobName: prefill.job_name,
    jobDesc: '',
    codeFolder: prefill.code_folder,
    bootFile: prefill.boot_file,
    dataKind: prefill.data.local_path ? 'local' : 'obs',
    dataObsUrl: prefill.data.obs_url ?? '',
    dataLocalPath: prefill.data.local_path ?? '',
    // Left empty, the server derives them from the job name and version at submit time.
    trainUrl: '',
    logUrl: '',
    specId: spec ? String(spec.spec_id) : '',
    engineId: String(
      engines.find(e => e.engine_id === prefill.engine?.engine_id)?.engine_id ??
        engines[0]?.engine_id ??
        ''
    ),
    workers: String(prefill.worker_server_num),
    parameters: prefill.parameters.map(p => ({ ...p })),
    saveConfig: ''
  };
}

/** The worker count as typed: a whole number of at least 1, within the spec's maximum. */
export function checkWorkers(
  typed: string,
  spec: ISpec | undefined,
  trans: TranslationBundle
): string | undefined {
  const workers = Number(typed);
  if (!Number.isInteger(workers) || workers < 1) {
    return trans.__('Enter a whole number of at least 1.');
  }
  if (spec?.max_num && workers > spec.max_num) {
    return trans.__('This spec allows at most %1 workers.', spec.max_num);
  }
  return undefined;
}

/** The checks the server would make, as the user types. */
export function validateLaunch(
  values: ILaunchValues,
  specs: ISpec[],
  trans: TranslationBundle
): LaunchFieldErrors {
  const errors: LaunchFieldErrors = {};
  if (!JOB_NAME.test(values.jobName)) {
    errors.job_name = trans.__(
      'Use 1-64 letters, digits, hyphens or underscores.'
    );
  }
  const spec = specs.find(s => String(s.spec_id) === values.specId);
  if (!spec) {
    errors.spec_id = trans.__('Choose a resource spec.');
  }
  const workersError = checkWorkers(values.workers, spec, trans);
  if (workersError) {
    errors.worker_server_num = workersError;
  }
  if (!values.engineId) {
    errors.engine_id = trans.__('Choose an AI engine.');
  }
  for (const field of ['trainUrl', 'logUrl'] as const) {
    if (values[field] && !values[field].endsWith('/')) {
      errors[field === 'trainUrl' ? 'train_url' : 'log_url'] = trans.__(
        'An OBS folder ends with /.'
      );
    }
  }
  if (values.dataKind === 'obs' && !values.dataObsUrl.endsWith('/')) {
    errors['data.obs_url'] = trans.__('An OBS folder ends with /.');
  }
  values.parameters.forEach((parameter, index) => {
    if (!LABEL.test(parameter.label)) {
      errors[`parameters.${index}.label`] = trans.__(
        'Use letters, digits, dots, hyphens or underscores.'
      );
    }
  });
  if (values.saveConfig && !CONFIG_NAME.test(values.saveConfig)) {
    errors.save_config = trans.__(
      'Use 1-20 letters, digits, hyphens or underscores.'
    );
  }
  return errors;
}

/**
 * The output and log folders the server picks when the fields are left empty:
 * `<obs folder>/<job name>/V000N/output/` and `.../logs/`, N the version to be made.
 */
export function derivedFolders(
  prefill: IPrefill,
  values: ILaunchValues,
  jobs: ITrainingJob[]
): { trainUrl: string; logUrl: string } {
  const job = jobs.find(j => String(j.job_id) === values.jobId);
  const number = job ? (job.version_count ?? 0) + 1 : 1;
  const version = `${prefill.obs_folder}${values.jobName}/V${String(number).padStart(4, '0')}/`;
  return { trainUrl: `${version}output/`, logUrl: `${version}logs/` };
}

export function toLaunchRequest(
  path: string,
  values: ILaunchValues
): ILaunchRequest {
  return {
    path,
    job_name: values.jobName,
    job_desc: values.jobDesc || undefined,
    code_folder: values.codeFolder,
    boot_file: values.bootFile,
    data:
      values.dataKind === 'local'
        ? { local_path: values.dataLocalPath }
        : { obs_url: values.dataObsUrl },
    train_url: values.trainUrl || undefined,
    log_url: values.logUrl || undefined,
    spec_id: idOf(values.specId),
    engine_id: idOf(values.engineId),
    worker_server_num: Number(values.workers),
    parameters: values.parameters
      .filter(p => p.label.trim())
      .map(({ label, value }) => ({ label: label.trim(), value })),
    save_config: values.saveConfig || undefined,
    job_id: values.jobId ? Number(values.jobId) : undefined
  };
}

/** A v1 spec or engine id is a number; a v2 flavor or engine id is a name. */
function idOf(text: string): number | string {
  return /^\d+$/.test(text) ? Number(text) : text;
}

export interface ILaunchFormProps {
  prefill: IPrefill;
  specs: ISpec[];
  engines: IEngine[];
  configs: IConfigSummary[];
  /** Existing jobs, which can get a new version instead of a new job. */
  jobs: ITrainingJob[];
  initial: ILaunchValues;
  serverErrors: LaunchFieldErrors;
  generalError?: string;
  trans: TranslationBundle;
  /** Load a saved configuration into the form. */
  loadConfig: (name: string) => Promise<Partial<ILaunchValues>>;
  onChange: (values: ILaunchValues) => void;
}

export function LaunchForm(props: ILaunchFormProps): JSX.Element {
  const { trans, prefill, specs, engines } = props;
  // The v2 training API has no versions and no saved configurations.
  const v1 = prefill.training_api !== 'v2';
  const [values, setValues] = React.useState(props.initial);
  const [touched, setTouched] = React.useState(false);
  const errors = {
    ...(touched ? validateLaunch(values, specs, trans) : {}),
    ...(touched ? {} : props.serverErrors)
  };
  const update = (change: Partial<ILaunchValues>) => {
    const next = { ...values, ...change };
    setValues(next);
    setTouched(true);
    props.onChange(next);
  };
  const field = (
    name: string,
    label: string,
    input: JSX.Element,
    hint?: string | JSX.Element
  ) => (
    <label className="jp-ModelArts-trainField" data-field={name}>
      <span>{label}</span>
      {input}
      {typeof hint === 'string' ? <small>{hint}</small> : hint}
      {errors[name] && (
        <small className="jp-ModelArts-fieldError" role="alert">
          {errors[name]}
        </small>
      )}
    </label>
  );
  const text = (
    key: keyof ILaunchValues,
    name: string,
    placeholder?: string
  ) => (
    <input
      className="jp-mod-styled"
      name={name}
      value={values[key] as string}
      placeholder={placeholder}
      onChange={event => update({ [key]: event.target.value })}
    />
  );
  const derived = derivedFolders(prefill, values, props.jobs);
  const derivedHint = trans.__(
    'Leave empty to use the folder of this job and version, shown in grey.'
  );
  const spec = specs.find(s => String(s.spec_id) === values.specId);
  const setParameter = (index: number, change: Partial<IParameter>) =>
    update({
      parameters: values.parameters.map((p, i) =>
        i === index ? { ...p, ...change } : p
      )
    });
  return (
    <form className="jp-ModelArts-trainForm" onSubmit={e => e.preventDefault()}>
      <TrainingHelp trans={trans} />
      {props.generalError && (
        <p className="jp-ModelArts-fieldError" role="alert">
          {props.generalError}
        </p>
      )}
      {props.configs.length > 0 && (
        <label className="jp-ModelArts-trainField">
          <span>{trans.__('Start from a configuration')}</span>
          <select
            className="jp-mod-styled"
            name="from_config"
            defaultValue=""
            onChange={event => {
              const name = event.target.value;
              if (name) {
                void props.loadConfig(name).then(update);
              }
            }}
          >
            <option value="">{trans.__('None')}</option>
            {props.configs.map(config => (
              <option key={config.config_name} value={config.config_name}>
                {config.config_name}
              </option>
            ))}
          </select>
        </label>
      )}
      {!v1 && (
        <p className="jp-ModelArts-trainNote">
          {trans.__(
            'This account trains through the v2 training API: each run is a new job, and settings cannot be saved as a training job configuration.'
          )}
        </p>
      )}
      {v1 &&
        props.jobs.length > 0 &&
        field(
          'job_id',
          trans.__('Job'),
          <select
            className="jp-mod-styled"
            name="job_id"
            value={values.jobId}
            onChange={event => {
              const job = props.jobs.find(
                j => String(j.job_id) === event.target.value
              );
              // A new version's output goes to its own folder, chosen by the server.
              update(
                job
                  ? {
                      jobId: String(job.job_id),
                      jobName: job.job_name ?? ''
                    }
                  : {
                      ...props.initial,
                      jobId: ''
                    }
              );
            }}
          >
            <option value="">{trans.__('A new job')}</option>
            {props.jobs.map(job => (
              <option key={job.job_id} value={String(job.job_id)}>
                {trans.__('New version of %1', job.job_name ?? '')}
              </option>
            ))}
          </select>
        )}
      {field('job_name', trans.__('Job name'), text('jobName', 'job_name'))}
      {field('job_desc', trans.__('Description'), text('jobDesc', 'job_desc'))}
      {field(
        'code_folder',
        trans.__('Code folder'),
        text('codeFolder', 'code_folder'),
        prefill.code_folder ? (
          <UploadPreview summary={prefill.code} trans={trans} />
        ) : (
          trans.__(
            "The file is directly in the server root or home folder: choose (or make) a folder that holds only the job's code."
          )
        )
      )}
      {field(
        'boot_file',
        trans.__('Boot file'),
        text('bootFile', 'boot_file'),
        prefill.notebook
          ? trans.__('The notebook is converted to this script.')
          : undefined
      )}
      <fieldset className="jp-ModelArts-trainData">
        <legend>{trans.__('Data source')}</legend>
        <label>
          <input
            type="radio"
            name="data_kind"
            checked={values.dataKind === 'obs'}
            onChange={() => update({ dataKind: 'obs' })}
          />
          {trans.__('OBS folder')}
        </label>
        <label>
          <input
            type="radio"
            name="data_kind"
            checked={values.dataKind === 'local'}
            onChange={() => update({ dataKind: 'local' })}
          />
          {trans.__('Local folder (uploaded)')}
        </label>
        {values.dataKind === 'obs'
          ? field('data.obs_url', '', text('dataObsUrl', 'data_obs_url'))
          : field(
              'data.local_path',
              '',
              text('dataLocalPath', 'data_local_path')
            )}
      </fieldset>
      {field(
        'train_url',
        trans.__('Output (train_url)'),
        text('trainUrl', 'train_url', derived.trainUrl),
        derivedHint
      )}
      {field(
        'log_url',
        trans.__('Log folder'),
        text('logUrl', 'log_url', derived.logUrl),
        derivedHint
      )}
      {field(
        'spec_id',
        trans.__('Resource spec'),
        <select
          className="jp-mod-styled"
          name="spec_id"
          value={values.specId}
          onChange={event => update({ specId: event.target.value })}
        >
          {specs.map(s => (
            <option
              key={s.spec_id}
              value={String(s.spec_id)}
              disabled={!s.available}
            >
              {s.available
                ? specLabel(s, trans)
                : trans.__('%1 (sold out)', specLabel(s, trans))}
            </option>
          ))}
        </select>
      )}
      {field(
        'engine_id',
        trans.__('AI engine'),
        <select
          className="jp-mod-styled"
          name="engine_id"
          value={values.engineId}
          onChange={event => update({ engineId: event.target.value })}
        >
          {engines.map(engine => (
            <option key={engine.engine_id} value={String(engine.engine_id)}>
              {engine.label}
            </option>
          ))}
        </select>,
        prefill.engine && values.engineId === String(prefill.engine.engine_id)
          ? trans.__(
              'Chosen because the script imports %1 (%2).',
              prefill.engine.module,
              prefill.engine.framework
            )
          : undefined
      )}
      {field(
        'worker_server_num',
        trans.__('Workers'),
        <input
          className="jp-mod-styled"
          type="number"
          min={1}
          max={spec?.max_num ?? undefined}
          name="worker_server_num"
          value={values.workers}
          onChange={event => update({ workers: event.target.value })}
        />,
        spec?.max_num ? trans.__('At most %1', spec.max_num) : undefined
      )}
      <fieldset className="jp-ModelArts-trainParameters">
        <legend>{trans.__('Run parameters')}</legend>
        {values.parameters.map((parameter, index) => (
          <div key={index} className="jp-ModelArts-trainParameter">
            <input
              className="jp-mod-styled"
              aria-label={trans.__('Name')}
              value={parameter.label}
              title={parameter.help}
              onChange={event =>
                setParameter(index, { label: event.target.value })
              }
            />
            <input
              className="jp-mod-styled"
              aria-label={trans.__('Value')}
              name={`parameter_${parameter.label}`}
              value={parameter.value}
              onChange={event =>
                setParameter(index, { value: event.target.value })
              }
            />
            <button
              type="button"
              className="jp-mod-styled"
              onClick={() =>
                update({
                  parameters: values.parameters.filter((_, i) => i !== index)
                })
              }
            >
              {trans.__('Remove')}
            </button>
            {errors[`parameters.${index}.label`] && (
              <small className="jp-ModelArts-fieldError" role="alert">
                {errors[`parameters.${index}.label`]}
              </small>
            )}
          </div>
        ))}
        <button
          type="button"
          className="jp-mod-styled"
          onClick={() =>
            update({
              parameters: [...values.parameters, { label: '', value: '' }]
            })
          }
        >
          {trans.__('Add parameter')}
        </button>
      </fieldset>
      {v1 &&
        field(
          'save_config',
          trans.__('Save as training job configuration'),
          text('saveConfig', 'save_config'),
          trans.__('Leave empty not to save.')
        )}
    </form>
  );
}

/** "?": what the script receives, in a few lines (the README has the whole of it). */
export function TrainingHelp(props: { trans: TranslationBundle }): JSX.Element {
  const { trans } = props;
  return (
    <details className="jp-ModelArts-trainHelp">
      <summary title={trans.__('What a training job gets')}>
        <span aria-hidden="true">?</span> {trans.__('What a training job gets')}
      </summary>
      <ul>
        <li>
          {trans.__(
            'Arguments: --data_url and --train_url (the output folder), then --name=value for each run parameter; read them with parse_known_args().'
          )}
        </li>
        <li>
          {trans.__(
            'Environment: DLS_TASK_INDEX and DLS_TASK_NUMBER (this worker and the worker count), DLS_DATA_URL, DLS_TRAIN_URL; /cache is local scratch space.'
          )}
        </li>
        <li>
          {trans.__(
            'The script receives obs:// folders as s3:// URLs: the same objects. Copy them with moxing: mox.file.copy_parallel(args.data_url, "/cache/data").'
          )}
        </li>
        <li>
          {trans.__(
            'To deploy the result, write a model package to <train_url>/model/: config.json, customize_service.py and the model files.'
          )}
        </li>
        <li>
          {trans.__(
            'The code, output and log folders belong to this job and version: <job>/V0001/.'
          )}
        </li>
      </ul>
    </details>
  );
}

export class LaunchFormBody
  extends ReactWidget
  implements Dialog.IBodyWidget<ILaunchValues>
{
  constructor(private readonly props: Omit<ILaunchFormProps, 'onChange'>) {
    super();
    this.addClass('jp-ModelArts-trainDialog');
    this._values = props.initial;
  }

  getValue(): ILaunchValues {
    return this._values;
  }

  protected render(): JSX.Element {
    return (
      <LaunchForm
        {...this.props}
        onChange={values => {
          this._values = values;
        }}
      />
    );
  }

  private _values: ILaunchValues;
}
