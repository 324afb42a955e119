import { Notification } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';

import { InstanceActions } from './actions';
import { InstancesModel, ITransition } from './model';

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
      Notification.success(trans.__('Notebook %1 is running.', after.name), {
        autoClose: 8000,
        actions: [
          {
            label: trans.__('Open'),
            callback: () => actions.open(after),
            displayType: 'accent'
          },
          details
        ]
      });
    } else if (after.phase === 'failed') {
      Notification.error(
        trans.__(
          'Notebook %1 failed: %2',
          after.name,
          after.failure ?? after.status
        ),
        { autoClose: false, actions: [details] }
      );
    } else if (after.phase === 'stopped') {
      Notification.info(trans.__('Notebook %1 stopped.', after.name), {
        autoClose: 5000,
        actions: [details]
      });
    }
  });
}
