import { Notification } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { requestAPI } from '../api';
import { useFinishedCards } from '../components/finishedCards';
import { describeError, errorMessage } from '../errors';
import { IServerEvent, ServerEvents } from '../model/events';
import {
  operationTitle,
  statusLabel,
  stepMessage,
  stepTitle
} from '../wording';
import { IOperation, trainingApi } from './api';
import { LAUNCH_KIND } from './launch';

/** Launches shown at most: the newest, whatever their state. */
const SHOWN = 3;

/**
 * The newest launches (upload, then create) with their steps and progress;
 * a failed or interrupted one can be run again.
 */
export function Launches(props: {
  events: ServerEvents;
  trans: TranslationBundle;
}): JSX.Element | null {
  const { events, trans } = props;
  const [launches, setLaunches] = React.useState<IOperation[]>([]);
  React.useEffect(() => {
    void requestAPI<{ operations: IOperation[] }>(
      `operations?kind=${LAUNCH_KIND}`
    ).then(
      found => setLaunches(found.operations),
      () => undefined
    );
    const onEvent = (_: ServerEvents, event: IServerEvent) => {
      if (event.type !== 'operation' || event.data.kind !== LAUNCH_KIND) {
        return;
      }
      const changed = event.data as IOperation;
      setLaunches(current => [
        changed,
        ...current.filter(launch => launch.id !== changed.id)
      ]);
    };
    events.received.connect(onEvent);
    return () => {
      events.received.disconnect(onEvent);
    };
  }, [events]);
  const { shown: remaining, dismiss } = useFinishedCards(launches);
  const shown = remaining.slice(0, SHOWN);
  if (shown.length === 0) {
    return null;
  }
  return (
    <ul
      className="jp-ModelArts-trainLaunches"
      aria-label={trans.__('Launches')}
    >
      {shown.map(launch => (
        <li
          key={launch.id}
          className="jp-ModelArts-trainLaunch"
          data-state={launch.state}
        >
          <div className="jp-ModelArts-trainRow">
            <strong>{operationTitle(launch, trans)}</strong>
            <span
              className={`jp-ModelArts-status jp-ModelArts-status-${launch.state}`}
            >
              {statusLabel(launch.state, trans)}
            </span>
            {launch.state !== 'running' && (
              <button
                className="jp-mod-styled"
                onClick={() => dismiss(launch.id)}
              >
                {trans.__('Dismiss')}
              </button>
            )}
            {['failed', 'interrupted', 'cancelled'].includes(launch.state) && (
              <button
                className="jp-mod-styled"
                onClick={() =>
                  void trainingApi.retry(launch.id).catch(error =>
                    Notification.error(describeError(error, trans), {
                      autoClose: false
                    })
                  )
                }
              >
                {trans.__('Try again')}
              </button>
            )}
          </div>
          {launch.error && (
            <p className="jp-ModelArts-fieldError">
              {errorMessage(launch.error, trans)}
            </p>
          )}
          <ol className="jp-ModelArts-trainSteps">
            {launch.steps.map(step => (
              <li key={step.name} data-step={step.name} data-state={step.state}>
                <span>{stepTitle(step, trans)}</span>
                {step.state === 'running' && step.progress !== null && (
                  <progress max={1} value={step.progress} />
                )}
                <small>{stepMessage(step, trans)}</small>
              </li>
            ))}
          </ol>
        </li>
      ))}
    </ul>
  );
}
