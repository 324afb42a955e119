import { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { useFinishedCards } from '../components/finishedCards';
import { describeError, errorMessage } from '../errors';
import { ServerEvents } from '../model/events';
import {
  operationTitle,
  statusLabel,
  stepMessage,
  stepTitle
} from '../wording';
import { deployApi, IOperation } from './api';
import { useLiveList } from './live';

const RESUMABLE = new Set(['failed', 'cancelled', 'interrupted']);

/** The deployments of this server, newest first, with a progress bar per step. */
export function Deployments(props: {
  events: ServerEvents;
  trans: TranslationBundle;
}): JSX.Element | null {
  const { trans } = props;
  const { items } = useLiveList<IOperation>(
    deployApi.operations,
    props.events,
    'deploy'
  );
  const [error, setError] = React.useState<string | null>(null);
  const { shown, dismiss } = useFinishedCards(items);
  const recent = shown.slice(0, 5);
  if (recent.length === 0) {
    return null;
  }
  return (
    <div className="jp-ModelArts-deployments">
      {error && <div className="jp-ModelArts-formError">{error}</div>}
      {recent.map((operation, index) => (
        <div
          key={operation.id}
          className="jp-ModelArts-deployment"
          data-state={operation.state}
        >
          <div className="jp-ModelArts-deploymentTitle">
            <span>{operationTitle(operation, trans)}</span>
            <span className="jp-ModelArts-chip" data-status={operation.state}>
              {statusLabel(operation.state, trans)}
            </span>
            {operation.state !== 'running' && (
              <button
                className="jp-mod-styled jp-ModelArts-action"
                onClick={() => dismiss(operation.id)}
              >
                {trans.__('Dismiss')}
              </button>
            )}
          </div>
          {(index === 0 || operation.state !== 'succeeded') &&
            operation.steps.map(step => (
              <div
                key={step.name}
                className="jp-ModelArts-step"
                data-step={step.name}
                data-state={step.state}
              >
                <span className="jp-ModelArts-stepTitle">
                  {stepTitle(step, trans)}
                </span>
                <progress
                  max={1}
                  value={
                    step.state === 'succeeded' || step.state === 'skipped'
                      ? 1
                      : (step.progress ??
                        (step.state === 'running' ? undefined : 0))
                  }
                />
                <span className="jp-ModelArts-stepMessage">
                  {step.message === null ? '' : stepMessage(step, trans)}
                </span>
              </div>
            ))}
          {operation.error && (
            <div className="jp-ModelArts-formError" role="alert">
              {errorMessage(operation.error, trans)}
            </div>
          )}
          {RESUMABLE.has(operation.state) && (
            <button
              className="jp-mod-styled"
              onClick={() =>
                deployApi
                  .resume(operation.id)
                  .then(() => setError(null))
                  .catch(e => setError(describeError(e, trans)))
              }
            >
              {trans.__('Run again from where it stopped')}
            </button>
          )}
        </div>
      ))}
    </div>
  );
}
