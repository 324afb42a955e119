import { TranslationBundle } from '@jupyterlab/translation';

import { operationToasts } from '../components/operationToasts';
import { statusLabel } from '../wording';
import { InstanceActions } from './actions';
import { InstancesModel, ITransition } from './model';

/** The toast of an instance: its creation, then each change of its phase. */
export function instanceToastKey(instance: {
  api: string;
  id: string;
}): string {
  return `notebook:${instance.api}/${instance.id}`;
}

/** Tell the user when an instance becomes RUNNING, STOPPED, or fails. */
export function notifyTransitions(
  model: InstancesModel,
  actions: InstanceActions,
  trans: TranslationBundle
): void {
  model.transitioned.connect((_, { before, after }: ITransition) => {
    if (before.phase === after.phase) {
      return;
    }
    const details = {
      label: trans.__('Details'),
      callback: () => void actions.showDetails(after)
    };
    if (after.phase === 'running') {
      operationToasts.show(
        instanceToastKey(after),
        trans.__('Notebook %1 is running.', after.name),
        'success',
        {
          autoClose: 8000,
          actions: [
            {
              label: trans.__('Open'),
              callback: () => actions.open(after),
              displayType: 'accent'
            },
            details
          ]
        }
      );
    } else if (after.phase === 'failed') {
      operationToasts.show(
        instanceToastKey(after),
        trans.__(
          'Notebook %1 failed: %2',
          after.name,
          after.failure ?? statusLabel(after.status, trans)
        ),
        'error',
        { autoClose: false, actions: [details] }
      );
    } else if (after.phase === 'stopped') {
      operationToasts.show(
        instanceToastKey(after),
        trans.__('Notebook %1 stopped.', after.name),
        'info',
        { autoClose: 5000, actions: [details] }
      );
    }
  });
}
