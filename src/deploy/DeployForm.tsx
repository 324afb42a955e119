import { Dialog } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';
import { ReactWidget } from '@jupyterlab/ui-components';
import * as React from 'react';

import { UploadPreview } from '../components/UploadPreview';
import { errorMessage } from '../errors';
import { statusLabel } from '../wording';
import {
  ICluster,
  IDeployRequest,
  IInspection,
  IModel,
  ISpecification
} from './api';

export const MODEL_TYPES = [
  'Scikit_Learn',
  'XGBoost',
  'PyTorch',
  'TensorFlow',
  'MindSpore',
  'MXNet',
  'Caffe',
  'Spark_MLlib',
  'Image'
];
const NAME = /^[A-Za-z0-9\u4e00-\u9fa5_-]{1,64}$/;
const VERSION = /^(0|[1-9]\d?)\.(0|[1-9]\d?)\.(0|[1-9]\d?)$/;

/** Error messages by the server's field names ('service.weight', ...). */
export type FieldErrors = Record<string, string>;

export interface IDeployFormValues {
  /** Where the model comes from: a path of the server root, an OBS folder or a model of the Models list. */
  path?: string;
  sourceLocation?: string;
  modelId?: string;
  sourceJobId?: string;
  sourceJobVersion?: string;
  modelName: string;
  modelVersion: string;
  modelType: string;
  runtime: string;
  generatePackage: boolean;
  deployService: boolean;
  serviceName: string;
  inferType: 'real-time' | 'batch';
  specification: string;
  /** A dedicated resource pool (SV-11); the public pool when empty or unset. */
  clusterId?: string;
  instanceCount: number;
  /** One KEY=value per line. */
  envs: string;
  weight: number;
  otherModels: { model_id: string; weight: number }[];
  srcPath: string;
  destPath: string;
}

/** The form values typed as free text, each shown as one text input. */
type TextValueName =
  | 'modelName'
  | 'modelVersion'
  | 'runtime'
  | 'serviceName'
  | 'srcPath'
  | 'destPath';

export function initialValues(
  inspection: IInspection,
  path: string
): IDeployFormValues {
  return {
    path,
    modelName: inspection.suggested_name,
    modelVersion: inspection.model_version,
    modelType: inspection.model_type ?? 'Scikit_Learn',
    runtime: inspection.runtime ?? '',
    generatePackage: inspection.kind !== 'package',
    deployService: true,
    serviceName: `${inspection.suggested_name}-service`.slice(0, 64),
    inferType: 'real-time',
    specification: 'modelarts.vm.cpu.2u',
    instanceCount: 1,
    envs: '',
    weight: 100,
    otherModels: [],
    srcPath: '',
    destPath: ''
  };
}

function parseEnvs(text: string): Record<string, string> | null {
  const envs: Record<string, string> = {};
  for (const line of text.split('\n').map(l => l.trim())) {
    if (!line) {
      continue;
    }
    const at = line.indexOf('=');
    if (at < 1) {
      return null;
    }
    envs[line.slice(0, at).trim()] = line.slice(at + 1).trim();
  }
  return envs;
}

/** The checks the server makes too, run as the user types. */
export function validateDeployForm(
  values: IDeployFormValues,
  trans: TranslationBundle,
  clusters: ICluster[] = []
): FieldErrors {
  const errors: FieldErrors = {};
  if (!NAME.test(values.modelName)) {
    errors.model_name = trans.__(
      '1-64 letters, Chinese characters, digits, "-" or "_"'
    );
  }
  if (!VERSION.test(values.modelVersion)) {
    errors.model_version = trans.__(
      'Three numbers 0-99 without leading zeros, such as 1.0.0'
    );
  }
  if (!values.deployService) {
    return errors;
  }
  if (!NAME.test(values.serviceName)) {
    errors['service.service_name'] = trans.__(
      '1-64 letters, Chinese characters, digits, "-" or "_"'
    );
  }
  const cluster = clusters.find(c => c.cluster_id === values.clusterId);
  if (cluster && cluster.status !== 'running') {
    errors['service.cluster_id'] = trans.__(
      'This resource pool is %1: choose a running one or the public pool.',
      statusLabel(cluster.status ?? '', trans)
    );
  }
  if (!Number.isInteger(values.instanceCount) || values.instanceCount < 1) {
    errors['service.instance_count'] = trans.__('A whole number, 1 or more');
  }
  if (parseEnvs(values.envs) === null) {
    errors['service.envs'] = trans.__('One KEY=value per line');
  }
  if (values.inferType === 'batch') {
    for (const [key, value] of [
      ['service.src_path', values.srcPath],
      ['service.dest_path', values.destPath]
    ]) {
      if (!/^(obs:\/\/|\/)[^/]+\/.*\/$/.test(value)) {
        errors[key] = trans.__('An OBS folder such as obs://bucket/folder/');
      }
    }
  } else {
    const total =
      values.weight + values.otherModels.reduce((sum, m) => sum + m.weight, 0);
    if (total !== 100) {
      errors['service.weight'] = trans.__(
        'The traffic weights must add up to 100 (they add up to %1)',
        total
      );
    }
  }
  return errors;
}

export function toDeployRequest(values: IDeployFormValues): IDeployRequest {
  const request: IDeployRequest = {
    model_name: values.modelName,
    model_version: values.modelVersion,
    model_type: values.modelType,
    runtime: values.runtime || undefined
  };
  if (values.modelId !== undefined) {
    request.model_id = values.modelId;
  } else if (values.path !== undefined) {
    request.path = values.path;
    request.generate_package = values.generatePackage;
  } else {
    request.source_location = values.sourceLocation;
    request.source_job_id = values.sourceJobId;
    request.source_job_version = values.sourceJobVersion;
  }
  if (values.deployService) {
    request.service = {
      service_name: values.serviceName,
      infer_type: values.inferType,
      specification: values.specification,
      ...(values.clusterId ? { cluster_id: values.clusterId } : {}),
      instance_count: values.instanceCount,
      envs: parseEnvs(values.envs) ?? {},
      weight: values.inferType === 'real-time' ? values.weight : 100,
      other_models: values.inferType === 'real-time' ? values.otherModels : [],
      ...(values.inferType === 'batch'
        ? { src_path: values.srcPath, dest_path: values.destPath }
        : {})
    };
  }
  return request;
}

export interface IDeployFormProps {
  initial: IDeployFormValues;
  inspection: IInspection | null;
  specifications: ISpecification[];
  /** The dedicated resource pools to choose from (SV-11). */
  clusters: ICluster[];
  /** Published models that can share the traffic. */
  models: IModel[];
  serverErrors: FieldErrors;
  generalError?: string;
  trans: TranslationBundle;
  onChange: (values: IDeployFormValues) => void;
  /** Write the generated package next to the file (single model files). */
  onWritePackage?: () => void;
}

export function DeployForm(props: IDeployFormProps): JSX.Element {
  const { trans, inspection } = props;
  const [values, setValues] = React.useState(props.initial);
  const [touched, setTouched] = React.useState(false);
  const update = (changes: Partial<IDeployFormValues>) => {
    const next = { ...values, ...changes };
    setValues(next);
    setTouched(true);
    props.onChange(next);
  };
  const errors = {
    ...(touched ? {} : props.serverErrors),
    ...validateDeployForm(values, trans, props.clusters)
  };
  const field = (
    key: string,
    label: string,
    input: JSX.Element
  ): JSX.Element => (
    <label className="jp-ModelArts-field" data-field={key}>
      <span>{label}</span>
      {input}
      {errors[key] && (
        <span className="jp-ModelArts-fieldError" role="alert">
          {errors[key]}
        </span>
      )}
    </label>
  );
  const textField = (
    key: string,
    label: string,
    value: TextValueName
  ): JSX.Element =>
    field(
      key,
      label,
      <input
        name={key.replace(/^service\./, '')}
        value={values[value]}
        onChange={e =>
          update({ [value]: e.target.value } as Partial<IDeployFormValues>)
        }
      />
    );
  const specs = props.specifications.length
    ? props.specifications
    : [{ specification: values.specification }];
  return (
    <form
      className="jp-ModelArts-deployForm"
      onSubmit={e => e.preventDefault()}
    >
      {props.generalError && (
        <div className="jp-ModelArts-formError" role="alert">
          {props.generalError}
        </div>
      )}
      {errors.path && (
        <div className="jp-ModelArts-formError" role="alert">
          {errors.path}
        </div>
      )}
      {inspection?.upload && values.modelId === undefined && (
        <UploadPreview summary={inspection.upload} trans={trans} />
      )}
      {inspection?.problems.map(problem => (
        <div key={problem.message} className="jp-ModelArts-formError">
          {errorMessage(problem, trans)}
        </div>
      ))}
      {values.modelId !== undefined ? (
        <p className="jp-ModelArts-deployExisting">
          {trans.__(
            'Model %1 %2 of the Models list',
            values.modelName,
            values.modelVersion
          )}
        </p>
      ) : (
        <fieldset>
          <legend>{trans.__('Model')}</legend>
          {textField('model_name', trans.__('Model name'), 'modelName')}
          {textField('model_version', trans.__('Version'), 'modelVersion')}
          {field(
            'model_type',
            trans.__('Model type'),
            <select
              name="model_type"
              value={values.modelType}
              onChange={e => update({ modelType: e.target.value })}
            >
              {MODEL_TYPES.map(type => (
                <option key={type} value={type}>
                  {/* The engines' names are names; a custom image is a word. */}
                  {type === 'Image' ? trans.__('Image') : type}
                </option>
              ))}
            </select>
          )}
          {textField('runtime', trans.__('Runtime'), 'runtime')}
          {inspection && inspection.kind !== 'package' && (
            <div className="jp-ModelArts-generated">
              {field(
                'generate_package',
                trans.__(
                  'Generate a model package (config.json, customize_service.py)'
                ),
                <input
                  type="checkbox"
                  name="generate_package"
                  checked={values.generatePackage}
                  onChange={e => update({ generatePackage: e.target.checked })}
                />
              )}
              {Object.entries(inspection.generated).map(([name, text]) => (
                <details key={name}>
                  <summary>{name}</summary>
                  <pre>{text}</pre>
                </details>
              ))}
              {props.onWritePackage && (
                <button
                  type="button"
                  className="jp-mod-styled"
                  onClick={props.onWritePackage}
                >
                  {trans.__('Write the package next to the file to edit it')}
                </button>
              )}
            </div>
          )}
        </fieldset>
      )}
      <fieldset>
        <legend>
          <label>
            <input
              type="checkbox"
              name="deploy_service"
              disabled={values.modelId !== undefined}
              checked={values.deployService}
              onChange={e => update({ deployService: e.target.checked })}
            />
            {trans.__('Deploy as a service')}
          </label>
        </legend>
        {values.deployService && (
          <>
            {textField(
              'service.service_name',
              trans.__('Service name'),
              'serviceName'
            )}
            {field(
              'service.infer_type',
              trans.__('Type'),
              <select
                name="infer_type"
                value={values.inferType}
                onChange={e =>
                  update({ inferType: e.target.value as 'real-time' | 'batch' })
                }
              >
                <option value="real-time">{trans.__('Real-time')}</option>
                <option value="batch">{trans.__('Batch')}</option>
              </select>
            )}
            {field(
              'service.specification',
              trans.__('Specification'),
              <select
                name="specification"
                value={values.specification}
                onChange={e => update({ specification: e.target.value })}
              >
                {specs.map(spec => (
                  <option
                    key={spec.specification}
                    value={spec.specification}
                    disabled={spec.over_quota === true}
                  >
                    {spec.specification}
                    {'is_free' in spec && spec.is_free
                      ? ` (${trans.__('free')})`
                      : ''}
                  </option>
                ))}
              </select>
            )}
            {field(
              'service.cluster_id',
              trans.__('Resource pool'),
              <select
                name="cluster_id"
                value={values.clusterId ?? ''}
                onChange={e => update({ clusterId: e.target.value })}
              >
                <option value="">{trans.__('Public resource pool')}</option>
                {props.clusters.map(cluster => (
                  <option key={cluster.cluster_id} value={cluster.cluster_id}>
                    {trans.__(
                      '%1 (%2)',
                      cluster.cluster_name ?? cluster.cluster_id,
                      statusLabel(cluster.status ?? '', trans)
                    )}
                  </option>
                ))}
              </select>
            )}
            {field(
              'service.instance_count',
              trans.__('Instances'),
              <input
                name="instance_count"
                type="number"
                min={1}
                value={values.instanceCount}
                onChange={e =>
                  update({ instanceCount: Number(e.target.value) })
                }
              />
            )}
            {field(
              'service.envs',
              trans.__('Environment variables (KEY=value per line)'),
              <textarea
                name="envs"
                rows={2}
                value={values.envs}
                onChange={e => update({ envs: e.target.value })}
              />
            )}
            {values.inferType === 'batch' ? (
              <>
                {textField(
                  'service.src_path',
                  trans.__('OBS input folder'),
                  'srcPath'
                )}
                {textField(
                  'service.dest_path',
                  trans.__('OBS output folder'),
                  'destPath'
                )}
              </>
            ) : (
              <TrafficWeights
                values={values}
                models={props.models}
                error={errors['service.weight']}
                trans={trans}
                update={update}
              />
            )}
          </>
        )}
      </fieldset>
    </form>
  );
}

function TrafficWeights(props: {
  values: IDeployFormValues;
  models: IModel[];
  error?: string;
  trans: TranslationBundle;
  update: (changes: Partial<IDeployFormValues>) => void;
}): JSX.Element {
  const { values, models, trans, update } = props;
  const setOther = (
    index: number,
    change: Partial<{ model_id: string; weight: number }>
  ) =>
    update({
      otherModels: values.otherModels.map((m, i) =>
        i === index ? { ...m, ...change } : m
      )
    });
  return (
    <div className="jp-ModelArts-weights" data-field="service.weight">
      <label className="jp-ModelArts-field">
        <span>{trans.__('Traffic weight of this model (%)')}</span>
        <input
          name="weight"
          type="number"
          min={0}
          max={100}
          value={values.weight}
          onChange={e => update({ weight: Number(e.target.value) })}
        />
      </label>
      {values.otherModels.map((other, index) => (
        <div key={index} className="jp-ModelArts-weightRow">
          <select
            aria-label={trans.__('Model')}
            value={other.model_id}
            onChange={e => setOther(index, { model_id: e.target.value })}
          >
            {models.map(model => (
              <option key={model.model_id} value={model.model_id}>
                {model.model_name} {model.model_version}
              </option>
            ))}
          </select>
          <input
            type="number"
            aria-label={trans.__('Weight')}
            min={0}
            max={100}
            value={other.weight}
            onChange={e => setOther(index, { weight: Number(e.target.value) })}
          />
          <button
            type="button"
            className="jp-mod-styled"
            onClick={() =>
              update({
                otherModels: values.otherModels.filter((_, i) => i !== index)
              })
            }
          >
            {trans.__('Remove')}
          </button>
        </div>
      ))}
      {models.length > 0 && (
        <button
          type="button"
          className="jp-mod-styled"
          onClick={() =>
            update({
              otherModels: [
                ...values.otherModels,
                { model_id: models[0].model_id, weight: 0 }
              ]
            })
          }
        >
          {trans.__('Add a model sharing the traffic')}
        </button>
      )}
      {props.error && (
        <span className="jp-ModelArts-fieldError" role="alert">
          {props.error}
        </span>
      )}
    </div>
  );
}

export class DeployFormBody
  extends ReactWidget
  implements Dialog.IBodyWidget<IDeployFormValues>
{
  constructor(private readonly props: Omit<IDeployFormProps, 'onChange'>) {
    super();
    this.addClass('jp-ModelArts-deployDialog');
    this._values = props.initial;
  }

  getValue(): IDeployFormValues {
    return this._values;
  }

  protected render(): JSX.Element {
    return (
      <DeployForm
        {...this.props}
        onChange={values => {
          this._values = values;
        }}
      />
    );
  }

  private _values: IDeployFormValues;
}
