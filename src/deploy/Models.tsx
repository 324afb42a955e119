import { Dialog, showDialog } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';
import * as React from 'react';

import { IdText } from '../components/IdText';
import { RowActions } from '../components/RowActions';
import { describeError } from '../errors';
import { statusLabel } from '../wording';
import { ServerEvents } from '../model/events';
import { deployApi, IModel } from './api';
import { deployModel } from './deployDialog';
import { useLiveList } from './live';

/** The Models section: every version with its status and type, detail, delete. */
export function Models(props: {
  events: ServerEvents;
  trans: TranslationBundle;
}): JSX.Element {
  const { trans } = props;
  const { items, error } = useLiveList<IModel>(
    deployApi.models,
    props.events,
    'models'
  );
  const [open, setOpen] = React.useState<IModel | null>(null);
  const [actionError, setActionError] = React.useState<string | null>(null);

  const toggle = async (model: IModel) => {
    if (open?.model_id === model.model_id) {
      setOpen(null);
      return;
    }
    try {
      setOpen(await deployApi.model(model.model_id));
    } catch (e) {
      setActionError(describeError(e, trans));
    }
  };
  const remove = async (model: IModel) => {
    const cascade = document.createElement('label');
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.name = 'cascade';
    cascade.append(
      box,
      ' ',
      trans.__('Delete every version of %1', model.model_name)
    );
    const body = document.createElement('div');
    body.append(
      trans.__('Delete model %1 %2?', model.model_name, model.model_version),
      document.createElement('br'),
      cascade
    );
    const answer = await showDialog({
      title: trans.__('Delete model'),
      body: new Widget({ node: body }),
      buttons: [
        Dialog.cancelButton({ label: trans.__('Cancel') }),
        Dialog.warnButton({ label: trans.__('Delete') })
      ]
    });
    if (!answer.button.accept) {
      return;
    }
    try {
      await deployApi.deleteModel(model.model_id, box.checked);
      setActionError(null);
    } catch (e) {
      setActionError(describeError(e, trans));
    }
  };

  return (
    <div className="jp-ModelArts-list jp-ModelArts-models">
      {error !== null && (
        <div className="jp-ModelArts-formError">
          {describeError(error, trans)}
        </div>
      )}
      {actionError && (
        <div className="jp-ModelArts-formError">{actionError}</div>
      )}
      {items.length === 0 && error === null && (
        <div className="jp-ModelArts-empty">
          {trans.__(
            'No models. Right-click a model folder or file: Deploy to ModelArts.'
          )}
        </div>
      )}
      {items.map(model => (
        <div
          key={model.model_id}
          className="jp-ModelArts-row"
          data-id={model.model_id}
        >
          <div className="jp-ModelArts-rowMain">
            <button
              className="jp-ModelArts-rowName"
              onClick={() => void toggle(model)}
            >
              {model.model_name} {model.model_version}
            </button>
            <span className="jp-ModelArts-rowType">{model.model_type}</span>
            <span
              className="jp-ModelArts-chip"
              data-status={model.model_status}
            >
              {statusLabel(model.model_status, trans)}
            </span>
            <RowActions
              trans={trans}
              primary={[
                {
                  label: trans.__('Deploy'),
                  reason:
                    model.model_status === 'published'
                      ? null
                      : trans.__('Only a published model can be deployed'),
                  run: () => void deployModel(model, trans)
                }
              ]}
              secondary={[
                {
                  label: trans.__('Delete'),
                  reason: null,
                  run: () => void remove(model)
                }
              ]}
            />
          </div>
          {open?.model_id === model.model_id && (
            <dl className="jp-ModelArts-detail">
              <dt>{trans.__('Id')}</dt>
              <dd>
                <IdText id={open.model_id} trans={trans} />
              </dd>
              <dt>{trans.__('Runtime')}</dt>
              <dd>{open.runtime ?? ''}</dd>
              <dt>{trans.__('Source')}</dt>
              <dd>{open.source_location ?? ''}</dd>
              {open.failed_reason && (
                <>
                  <dt>{trans.__('Failure reason')}</dt>
                  <dd>{open.failed_reason}</dd>
                </>
              )}
            </dl>
          )}
        </div>
      ))}
    </div>
  );
}
