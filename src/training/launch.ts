import { Dialog, Notification, showDialog } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';

import { APIError } from '../api';
import {
  describeProgress,
  operationToasts
} from '../components/operationToasts';
import { describeError, errorMessage } from '../errors';
import { operationTitle, statusLabel } from '../wording';
import { IServerEvent, ServerEvents } from '../model/events';
import { IOperation, trainingApi } from './api';
import { jobToastKey, launchToastKey } from './notifications';
import {
  ILaunchValues,
  initialValues,
  LaunchFieldErrors,
  LaunchFormBody,
  toLaunchRequest,
  validateLaunch
} from './LaunchForm';

/** The operation kind of a launch (see the server's operations). */
export const LAUNCH_KIND = 'training_launch';

/**
 * Ask for the job's settings, prefilled from the file, until the server
 * accepts them or the user cancels; then follow the launch operation in a
 * notification with its upload progress.
 */
export async function trainFromFile(
  path: string,
  trans: TranslationBundle,
  events: ServerEvents
): Promise<IOperation | null> {
  let context;
  try {
    const [prefill, specs, engines, configs, jobs] = await Promise.all([
      trainingApi.prefill(path),
      trainingApi.specs(),
      trainingApi.engines(),
      trainingApi.configs().catch(() => []),
      trainingApi.jobs().catch(() => [])
    ]);
    context = { prefill, specs, engines, configs, jobs };
  } catch (error) {
    Notification.error(describeError(error, trans), { autoClose: false });
    return null;
  }
  let values = initialValues(context.prefill, context.specs, context.engines);
  let serverErrors: LaunchFieldErrors = {};
  let generalError: string | undefined;
  for (;;) {
    const body = new LaunchFormBody({
      ...context,
      initial: values,
      serverErrors,
      generalError,
      trans,
      loadConfig: name => loadConfig(name)
    });
    const result = await showDialog({
      title: trans.__('Train %1 on ModelArts', context.prefill.path),
      body,
      buttons: [
        Dialog.cancelButton({ label: trans.__('Cancel') }),
        Dialog.okButton({ label: trans.__('Start training') })
      ]
    });
    if (!result.button.accept || !result.value) {
      return null;
    }
    values = result.value;
    serverErrors = validateLaunch(values, context.specs, trans);
    generalError = undefined;
    if (Object.keys(serverErrors).length > 0) {
      continue;
    }
    try {
      const operation = await trainingApi.launch(
        toLaunchRequest(context.prefill.path, values)
      );
      followLaunch(operation, trans, events);
      return operation;
    } catch (error) {
      if (error instanceof APIError && error.field && error.field !== 'path') {
        serverErrors = { [error.field]: describeError(error, trans) };
      } else {
        generalError = describeError(error, trans);
      }
    }
  }
}

async function loadConfig(name: string): Promise<Partial<ILaunchValues>> {
  const config = await trainingApi.config(name);
  const change: Partial<ILaunchValues> = { parameters: config.parameters };
  if (config.spec_id) {
    change.specId = String(config.spec_id);
  }
  if (config.engine_id) {
    change.engineId = String(config.engine_id);
  }
  if (config.worker_server_num) {
    change.workers = String(config.worker_server_num);
  }
  if (config.data_url) {
    change.dataKind = 'obs';
    change.dataObsUrl = config.data_url;
  }
  return change;
}

/** A notification that shows the launch's steps until it ends. */
export function followLaunch(
  operation: IOperation,
  trans: TranslationBundle,
  events: ServerEvents
): void {
  const key = launchToastKey(operation.id);
  operationToasts.show(key, describeProgress(operation, trans), 'in-progress', {
    autoClose: false
  });
  const onEvent = (_: ServerEvents, event: IServerEvent) => {
    if (event.type !== 'operation' || event.data.id !== operation.id) {
      return;
    }
    const current = event.data as IOperation;
    if (current.state === 'running') {
      operationToasts.show(
        key,
        describeProgress(current, trans),
        'in-progress',
        {
          autoClose: false
        }
      );
      return;
    }
    events.received.disconnect(onEvent);
    if (current.state === 'succeeded') {
      operationToasts.show(
        key,
        trans.__(
          'Training job %1 was submitted.',
          current.result?.job_name ?? ''
        ),
        'success',
        { autoClose: 5000 }
      );
      if (current.result) {
        // How the job ends is told in this same toast.
        operationToasts.continueAs(
          key,
          jobToastKey(current.result.job_id, current.result.version_id)
        );
      }
    } else {
      operationToasts.show(
        key,
        trans.__(
          '%1 failed: %2',
          operationTitle(current, trans),
          current.error
            ? errorMessage(current.error, trans)
            : statusLabel(current.state, trans)
        ),
        'error',
        {
          autoClose: false,
          actions: [
            {
              label: trans.__('Try again'),
              callback: () =>
                void trainingApi
                  .retry(current.id)
                  .then(again => {
                    operationToasts.continueAs(key, launchToastKey(again.id));
                    followLaunch(again, trans, events);
                  })
                  .catch(error =>
                    operationToasts.show(
                      key,
                      describeError(error, trans),
                      'error'
                    )
                  )
            }
          ]
        }
      );
    }
  };
  events.received.connect(onEvent);
}
