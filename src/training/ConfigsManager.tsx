import { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { APIError } from '../api';
import { confirmDelete } from '../components/confirmDelete';
import { LabeledField } from '../components/LabeledField';
import { describeError } from '../errors';
import {
  IConfig,
  IConfigSummary,
  IConfigUpdate,
  IParameter,
  ISpec,
  trainingApi
} from './api';
import { checkWorkers, LABEL } from './LaunchForm';

type FieldErrors = Record<string, string>;

/** What the edit form holds: the fields a user changes, as typed. */
interface IConfigValues {
  description: string;
  specId: string;
  workers: string;
  dataUrl: string;
  trainUrl: string;
  /** One `label=value` a line. */
  parameters: string;
}

const DESCRIPTION_MAX = 256;

function toValues(config: IConfig): IConfigValues {
  return {
    description: config.config_desc ?? '',
    specId: config.spec_id === null ? '' : String(config.spec_id),
    workers: String(config.worker_server_num ?? 1),
    dataUrl: config.data_url ?? '',
    trainUrl: config.train_url ?? '',
    parameters: config.parameters.map(p => `${p.label}=${p.value}`).join('\n')
  };
}

function parseParameters(text: string): IParameter[] {
  return text
    .split('\n')
    .map(line => line.trim())
    .filter(Boolean)
    .map(line => {
      const [label, ...rest] = line.split('=');
      return { label: label.trim(), value: rest.join('=').trim() };
    });
}

export function validateConfig(
  values: IConfigValues,
  specs: ISpec[],
  trans: TranslationBundle
): FieldErrors {
  const errors: FieldErrors = {};
  if (values.description.length > DESCRIPTION_MAX) {
    errors.config_desc = trans.__(
      'At most %1 characters.',
      String(DESCRIPTION_MAX)
    );
  }
  const spec = specs.find(s => String(s.spec_id) === values.specId);
  if (!values.specId) {
    errors.spec_id = trans.__('Required');
  }
  const workersError = checkWorkers(values.workers, spec, trans);
  if (workersError) {
    errors.worker_server_num = workersError;
  }
  if (!values.dataUrl) {
    errors.data_url = trans.__('Required');
  } else if (!values.dataUrl.endsWith('/')) {
    errors.data_url = trans.__('An OBS folder ends with /.');
  }
  if (values.trainUrl && !values.trainUrl.endsWith('/')) {
    errors.train_url = trans.__('An OBS folder ends with /.');
  }
  if (parseParameters(values.parameters).some(p => !LABEL.test(p.label))) {
    errors.parameter = trans.__(
      'Use letters, digits, dots, hyphens or underscores.'
    );
  }
  return errors;
}

/** TC-3 replaces the whole configuration: what the form does not show is sent as stored. */
function toUpdate(config: IConfig, values: IConfigValues): IConfigUpdate {
  const kept: Partial<IConfigUpdate> = {};
  for (const key of [
    'engine_id',
    'model_id',
    'app_url',
    'boot_file_url',
    'log_url'
  ] as const) {
    const value = config[key];
    if (value !== null && value !== undefined) {
      (kept as Record<string, unknown>)[key] = value;
    }
  }
  return {
    ...kept,
    config_desc: values.description,
    spec_id: Number(values.specId),
    worker_server_num: Number(values.workers),
    data_url: values.dataUrl,
    ...(values.trainUrl ? { train_url: values.trainUrl } : {}),
    parameter: parseParameters(values.parameters)
  };
}

function ConfigField(props: {
  id: string;
  label: string;
  error?: string;
  children: React.ReactNode;
}): JSX.Element {
  return <LabeledField {...props} className="jp-ModelArts-configField" />;
}

function ConfigEditor(props: {
  config: IConfig;
  specs: ISpec[];
  trans: TranslationBundle;
  onSaved: () => void;
  onCancel: () => void;
}): JSX.Element {
  const { config, specs, trans } = props;
  const [values, setValues] = React.useState(() => toValues(config));
  const [errors, setErrors] = React.useState<FieldErrors>({});
  const id = (field: string) =>
    `jp-ModelArts-config-${config.config_name}-${field}`;
  const change =
    (field: keyof IConfigValues) =>
    (
      event: React.ChangeEvent<
        HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement
      >
    ) =>
      setValues({ ...values, [field]: event.target.value });
  const save = async (event: React.FormEvent) => {
    event.preventDefault();
    const found = validateConfig(values, specs, trans);
    setErrors(found);
    if (Object.keys(found).length > 0) {
      return;
    }
    try {
      await trainingApi.updateConfig(
        config.config_name,
        toUpdate(config, values)
      );
      props.onSaved();
    } catch (error) {
      const message = describeError(error, trans);
      const field =
        error instanceof APIError && error.field
          ? error.field.split(/[.[]/)[0]
          : '';
      setErrors({ [field]: message });
    }
  };
  return (
    <form className="jp-ModelArts-configForm" onSubmit={save} noValidate>
      {errors[''] && (
        <p className="jp-ModelArts-fieldError" role="alert">
          {errors['']}
        </p>
      )}
      <ConfigField
        id={id('desc')}
        label={trans.__('Description')}
        error={errors.config_desc}
      >
        <input
          id={id('desc')}
          className="jp-mod-styled"
          value={values.description}
          onChange={change('description')}
        />
      </ConfigField>
      <ConfigField
        id={id('spec')}
        label={trans.__('Resource spec')}
        error={errors.spec_id}
      >
        <select
          id={id('spec')}
          className="jp-mod-styled"
          value={values.specId}
          onChange={change('specId')}
        >
          {!specs.some(s => String(s.spec_id) === values.specId) && (
            <option value={values.specId}>{values.specId}</option>
          )}
          {specs.map(spec => (
            <option key={spec.spec_id} value={String(spec.spec_id)}>
              {spec.label}
            </option>
          ))}
        </select>
      </ConfigField>
      <ConfigField
        id={id('workers')}
        label={trans.__('Workers')}
        error={errors.worker_server_num}
      >
        <input
          id={id('workers')}
          className="jp-mod-styled"
          inputMode="numeric"
          value={values.workers}
          onChange={change('workers')}
        />
      </ConfigField>
      <ConfigField
        id={id('data')}
        label={trans.__('Data (OBS folder)')}
        error={errors.data_url}
      >
        <input
          id={id('data')}
          className="jp-mod-styled"
          value={values.dataUrl}
          onChange={change('dataUrl')}
        />
      </ConfigField>
      <ConfigField
        id={id('output')}
        label={trans.__('Output (OBS folder)')}
        error={errors.train_url}
      >
        <input
          id={id('output')}
          className="jp-mod-styled"
          value={values.trainUrl}
          onChange={change('trainUrl')}
        />
      </ConfigField>
      <ConfigField
        id={id('parameters')}
        label={trans.__('Run parameters (label=value, one a line)')}
        error={errors.parameter}
      >
        <textarea
          id={id('parameters')}
          className="jp-mod-styled"
          value={values.parameters}
          onChange={change('parameters')}
        />
      </ConfigField>
      <div className="jp-ModelArts-configActions">
        <button
          type="button"
          className="jp-mod-styled"
          onClick={props.onCancel}
        >
          {trans.__('Cancel')}
        </button>
        <button type="submit" className="jp-mod-styled jp-mod-accept">
          {trans.__('Save configuration')}
        </button>
      </div>
    </form>
  );
}

/** The saved training job configurations: each shown, edited (TC-3) or deleted (TC-4). */
export function ConfigsManager(props: {
  trans: TranslationBundle;
}): JSX.Element {
  const { trans } = props;
  const [configs, setConfigs] = React.useState<IConfigSummary[] | null>(null);
  const [specs, setSpecs] = React.useState<ISpec[]>([]);
  const [editing, setEditing] = React.useState<IConfig | null>(null);
  const [error, setError] = React.useState<string | null>(null);
  const load = React.useCallback(
    () =>
      trainingApi.configs().then(
        found => {
          setConfigs(found);
          setError(null);
        },
        failure => setError(describeError(failure, trans))
      ),
    [trans]
  );
  React.useEffect(() => {
    void load();
    trainingApi.specs().then(setSpecs, () => setSpecs([]));
  }, [load]);
  const report = (action: Promise<unknown>) =>
    action.catch(failure => setError(describeError(failure, trans)));
  const remove = async (name: string) => {
    if (
      await confirmDelete(
        trans,
        trans.__('Delete configuration'),
        trans.__('Delete training job configuration %1?', name)
      )
    ) {
      await trainingApi.deleteConfig(name);
      if (editing?.config_name === name) {
        setEditing(null);
      }
      await load();
    }
  };
  return (
    <div className="jp-ModelArts-configs">
      <h3>{trans.__('Training job configurations')}</h3>
      {error && (
        <p className="jp-ModelArts-fieldError" role="alert">
          {error}
        </p>
      )}
      {configs?.length === 0 && (
        <p className="jp-ModelArts-empty">
          {trans.__(
            'No saved configurations. Save one from the Train dialog ("Save as training job configuration").'
          )}
        </p>
      )}
      <ul aria-label={trans.__('Training job configurations')}>
        {(configs ?? []).map(config => (
          <li key={config.config_name} data-config={config.config_name}>
            <span className="jp-ModelArts-configName">
              {config.config_name}
            </span>
            <span className="jp-ModelArts-configDesc">
              {config.config_desc ?? ''}
            </span>
            <button
              className="jp-mod-styled"
              onClick={() =>
                void report(
                  trainingApi.config(config.config_name).then(setEditing)
                )
              }
            >
              {trans.__('Edit')}
            </button>
            <button
              className="jp-mod-styled jp-mod-warn"
              onClick={() => void report(remove(config.config_name))}
            >
              {trans.__('Delete')}
            </button>
            {editing?.config_name === config.config_name && (
              <ConfigEditor
                key={config.config_name}
                config={editing}
                specs={specs}
                trans={trans}
                onCancel={() => setEditing(null)}
                onSaved={() => {
                  setEditing(null);
                  void load();
                }}
              />
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
