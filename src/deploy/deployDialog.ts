import { Dialog, Notification, showDialog } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';

import { APIError } from '../api';
import {
  describeProgress,
  operationToasts
} from '../components/operationToasts';
import { describeError } from '../errors';
import {
  deployApi,
  ICluster,
  IInspection,
  IModel,
  ISpecification
} from './api';
import {
  DeployFormBody,
  FieldErrors,
  IDeployFormValues,
  initialValues,
  toDeployRequest,
  validateDeployForm
} from './DeployForm';

/** The toast of a deployment (one for its progress and its end). */
export function deployToastKey(operationId: string): string {
  return `deploy:${operationId}`;
}

/** Fields the form shows an error next to; others become the dialog's general error. */
const FORM_FIELDS = new Set([
  'path',
  'model_name',
  'model_version',
  'model_type',
  'runtime',
  'generate_package',
  'service.service_name',
  'service.specification',
  'service.cluster_id',
  'service.instance_count',
  'service.envs',
  'service.weight',
  'service.src_path',
  'service.dest_path'
]);

interface IDialogContext {
  trans: TranslationBundle;
  inspection: IInspection | null;
  specifications: ISpecification[];
  clusters: ICluster[];
  models: IModel[];
}

/**
 * Ask for the deployment until the server accepts it or the user cancels;
 * errors are shown on the field they concern. Resolves with the operation id.
 */
async function askAndDeploy(
  context: IDialogContext,
  values: IDeployFormValues,
  fieldErrors: FieldErrors = {},
  generalError?: string
): Promise<string | null> {
  const { trans, inspection } = context;
  const body = new DeployFormBody({
    initial: values,
    inspection,
    specifications: context.specifications,
    clusters: context.clusters,
    models: context.models,
    serverErrors: fieldErrors,
    generalError,
    trans,
    onWritePackage:
      inspection && inspection.kind !== 'package' && values.path
        ? () => void writePackage(values.path!, trans)
        : undefined
  });
  const result = await showDialog({
    title: values.path
      ? trans.__('Deploy %1 to ModelArts', values.path)
      : values.modelId
        ? trans.__('Deploy model %1 %2', values.modelName, values.modelVersion)
        : trans.__('Import a model'),
    body,
    buttons: [
      Dialog.cancelButton({ label: trans.__('Cancel') }),
      Dialog.okButton({
        label: values.deployService ? trans.__('Deploy') : trans.__('Import')
      })
    ]
  });
  if (!result.button.accept || !result.value) {
    return null;
  }
  const submitted = result.value;
  const invalid = validateDeployForm(submitted, trans, context.clusters);
  if (Object.keys(invalid).length > 0) {
    return askAndDeploy(context, submitted, invalid);
  }
  try {
    const operation = await deployApi.deploy(toDeployRequest(submitted));
    // Its progress and its end update this toast (see the deploy plugin).
    operationToasts.show(
      deployToastKey(operation.id),
      describeProgress(operation, trans),
      'in-progress',
      { autoClose: false }
    );
    return operation.id;
  } catch (error) {
    if (!(error instanceof APIError)) {
      throw error;
    }
    const message = describeError(error, trans);
    return error.field && FORM_FIELDS.has(error.field)
      ? askAndDeploy(context, submitted, { [error.field]: message })
      : askAndDeploy(context, submitted, {}, message);
  }
}

async function writePackage(
  path: string,
  trans: TranslationBundle
): Promise<void> {
  try {
    const written = await deployApi.writePackage(path);
    Notification.success(
      trans.__(
        'The package is in %1: edit it, then deploy that folder.',
        written
      ),
      { autoClose: 8000 }
    );
  } catch (error) {
    Notification.error(describeError(error, trans));
  }
}

async function dialogContext(
  trans: TranslationBundle,
  inspection: IInspection | null
): Promise<IDialogContext> {
  const [specifications, clusters, models] = await Promise.all([
    deployApi.specifications('real-time').catch(() => []),
    deployApi.clusters().catch(() => []),
    deployApi.models().catch(() => [])
  ]);
  return {
    trans,
    inspection,
    specifications,
    clusters,
    models: models.filter(model => model.model_status === 'published')
  };
}

/** The dialog for a model folder or file of the server root. */
export async function deployPath(
  path: string,
  trans: TranslationBundle
): Promise<string | null> {
  let inspection: IInspection;
  try {
    inspection = await deployApi.inspect(path);
  } catch (error) {
    // Said where the user clicked, not only in the notification centre.
    await showDialog({
      title: trans.__('Cannot deploy %1', path),
      body: describeError(error, trans),
      buttons: [Dialog.okButton({ label: trans.__('OK') })]
    });
    return null;
  }
  const context = await dialogContext(trans, inspection);
  return askAndDeploy(context, initialValues(inspection, path));
}

/** What a completed training version hands to "Import as model". */
export interface ITrainingOutput {
  /** OBS folder of the version's output (its train_url). */
  source_location: string;
  job_id?: string;
  version_id?: string;
  /** Proposed model name (e.g. the job's name). */
  name?: string;
  /** Also deploy the imported model as a service (the form starts so). */
  deploy?: boolean;
}

/** The dialog for a training job's output: import, and optionally deploy. */
export async function importTrainingOutput(
  output: ITrainingOutput,
  trans: TranslationBundle
): Promise<string | null> {
  const name = (output.name || 'model').replace(/[^A-Za-z0-9_-]+/g, '-');
  const version = await deployApi.nextVersion(name).catch(() => '1.0.0');
  const context = await dialogContext(trans, null);
  return askAndDeploy(context, {
    ...valuesFor(name, version, 'Scikit_Learn'),
    sourceLocation: output.source_location,
    sourceJobId: output.job_id,
    sourceJobVersion: output.version_id,
    deployService: output.deploy ?? false
  });
}

/** The dialog for a model of the Models list: deploy it as a service. */
export async function deployModel(
  model: IModel,
  trans: TranslationBundle
): Promise<string | null> {
  const context = await dialogContext(trans, null);
  return askAndDeploy(context, {
    ...valuesFor(model.model_name, model.model_version, model.model_type),
    modelId: model.model_id
  });
}

function valuesFor(
  name: string,
  version: string,
  modelType: string | null | undefined
): IDeployFormValues {
  return {
    modelName: name,
    modelVersion: version,
    modelType: modelType || 'Scikit_Learn',
    runtime: '',
    generatePackage: false,
    deployService: true,
    serviceName: `${name}-service`.slice(0, 64),
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
