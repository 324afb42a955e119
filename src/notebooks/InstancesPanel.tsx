import { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { InstanceActions } from './actions';
import { IInstance } from './api';
import { formatCountdown, formatDate } from './format';
import { InstancesModel } from './model';

/** Height of one row in pixels: the list renders only the rows in view. */
export const ROW_HEIGHT = 76;
const OVERSCAN = 4;

/** The first and last index (exclusive) of the rows to render. */
export function visibleRange(
  scrollTop: number,
  viewport: number,
  count: number
): [number, number] {
  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(
    count,
    Math.ceil((scrollTop + viewport) / ROW_HEIGHT) + OVERSCAN
  );
  return [first, last];
}

/** Now, once a second while anything counts down. */
function useClock(active: boolean): number {
  const [now, setNow] = React.useState(Date.now());
  React.useEffect(() => {
    if (!active) {
      return;
    }
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, [active]);
  return now;
}

function useModel(model: InstancesModel): void {
  const [, setVersion] = React.useState(0);
  React.useEffect(() => {
    const bump = () => setVersion(version => version + 1);
    model.changed.connect(bump);
    return () => {
      model.changed.disconnect(bump);
    };
  }, [model]);
}

interface IRowProps {
  instance: IInstance;
  now: number;
  actions: InstanceActions;
  trans: TranslationBundle;
}

function ActionButton(props: {
  label: string;
  reason: string | null | undefined;
  onClick: () => void;
}): JSX.Element | null {
  if (props.reason === undefined) {
    return null; // the instance's API has no such action
  }
  return (
    <button
      className="jp-ModelArts-instanceAction jp-mod-styled"
      disabled={props.reason !== null}
      title={props.reason ?? props.label}
      data-action={props.label}
      onClick={props.onClick}
    >
      {props.label}
    </button>
  );
}

function InstanceRow(props: IRowProps): JSX.Element {
  const { instance, now, actions, trans } = props;
  const stopAt = instance.auto_stop?.stop_at;
  const can = instance.actions;
  return (
    <li
      className="jp-ModelArts-instance"
      data-key={instance.key}
      data-name={instance.name}
      data-status={instance.status}
      style={{ height: ROW_HEIGHT }}
    >
      <div className="jp-ModelArts-instanceHeader">
        <button
          className="jp-ModelArts-instanceName"
          title={trans.__('Details')}
          onClick={() => void actions.showDetails(instance)}
        >
          {instance.name}
        </button>
        <span
          className={`jp-ModelArts-statusChip jp-mod-${instance.phase}`}
          title={instance.failure ?? instance.status}
        >
          {instance.status}
        </span>
      </div>
      <div className="jp-ModelArts-instanceMeta">
        <span>{instance.flavor}</span>
        {stopAt ? (
          <span
            className="jp-ModelArts-countdown"
            title={trans.__('Stops at %1', formatDate(stopAt))}
          >
            {trans.__('stops in %1', formatCountdown(stopAt - now))}
          </span>
        ) : null}
        <span>{formatDate(instance.created_at)}</span>
      </div>
      <div className="jp-ModelArts-instanceActions">
        <ActionButton
          label={trans.__('Open')}
          reason={
            instance.url
              ? null
              : trans.__('only a running instance can be opened')
          }
          onClick={() => actions.open(instance)}
        />
        <ActionButton
          label={trans.__('Start')}
          reason={can.start}
          onClick={() => void actions.act(instance, 'start')}
        />
        <ActionButton
          label={trans.__('Stop')}
          reason={can.stop}
          onClick={() => void actions.act(instance, 'stop')}
        />
        <ActionButton
          label={trans.__('Restart')}
          reason={can.restart}
          onClick={() => void actions.act(instance, 'restart')}
        />
        <ActionButton
          label={trans.__('Queue')}
          reason={can.queue}
          onClick={() => void actions.act(instance, 'queue')}
        />
        <ActionButton
          label={trans.__('Leave queue')}
          reason={can.dequeue}
          onClick={() => void actions.act(instance, 'dequeue')}
        />
        {instance.api !== 'pai' && (
          <ActionButton
            label={trans.__('Auto stop')}
            reason={can.update}
            onClick={() => void actions.changeAutoStop(instance)}
          />
        )}
        <ActionButton
          label={trans.__('Delete')}
          reason={can.delete}
          onClick={() => void actions.remove(instance)}
        />
      </div>
    </li>
  );
}

export interface IInstancesPanelProps {
  model: InstancesModel;
  actions: InstanceActions;
  trans: TranslationBundle;
  onCreate: () => void;
}

/** The Notebooks section: a "New notebook" button and the live list. */
export function InstancesPanel(props: IInstancesPanelProps): JSX.Element {
  const { model, trans } = props;
  useModel(model);
  const items = model.items;
  const now = useClock(items.some(item => item.auto_stop?.stop_at));
  const [scrollTop, setScrollTop] = React.useState(0);
  const [viewport, setViewport] = React.useState(400);
  const listRef = React.useRef<HTMLDivElement>(null);
  React.useEffect(() => {
    const element = listRef.current;
    if (!element || typeof ResizeObserver === 'undefined') {
      return;
    }
    const observer = new ResizeObserver(() =>
      setViewport(element.clientHeight || 400)
    );
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  const [first, last] = visibleRange(scrollTop, viewport, items.length);
  return (
    <div className="jp-ModelArts-instances">
      <div className="jp-ModelArts-instancesToolbar">
        <button
          className="jp-mod-styled jp-mod-accept jp-ModelArts-newInstance"
          disabled={model.apis.length === 0}
          onClick={props.onCreate}
        >
          {trans.__('New notebook')}
        </button>
      </div>
      {model.error && (
        <div className="jp-ModelArts-formError" role="alert">
          {model.error}
        </div>
      )}
      {model.loaded && items.length === 0 && !model.error && (
        <div className="jp-ModelArts-empty">
          {trans.__('No notebook instances yet.')}
        </div>
      )}
      <div
        className="jp-ModelArts-instanceList"
        ref={listRef}
        onScroll={event => setScrollTop(event.currentTarget.scrollTop)}
      >
        <ul
          style={{
            height: items.length * ROW_HEIGHT,
            paddingTop: first * ROW_HEIGHT
          }}
        >
          {items.slice(first, last).map(instance => (
            <InstanceRow
              key={instance.key}
              instance={instance}
              now={now}
              actions={props.actions}
              trans={trans}
            />
          ))}
        </ul>
      </div>
    </div>
  );
}
