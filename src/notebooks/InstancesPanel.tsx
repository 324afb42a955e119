import { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { IRowAction, RowActions } from '../components/RowActions';
import { errorMessage, IErrorBody } from '../errors';
import { InstanceActions } from './actions';
import { IInstance } from './api';
import { formatDate } from '../format';
import { statusLabel } from '../wording';
import { formatCountdown } from './format';
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

/** An action of the instance's API (`refusal` undefined: the API has no such action). */
function action(
  label: string,
  refusal: IErrorBody | null | undefined,
  run: () => unknown,
  trans: TranslationBundle
): IRowAction | null {
  if (refusal === undefined) {
    return null;
  }
  const reason = refusal && errorMessage(refusal, trans);
  return { label, reason, run: () => void run() };
}

function offered(actions: (IRowAction | null)[]): IRowAction[] {
  return actions.filter((found): found is IRowAction => found !== null);
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
          {statusLabel(instance.status, trans)}
        </span>
      </div>
      <div className="jp-ModelArts-instanceMeta">
        <span
          className="jp-ModelArts-instanceFlavor"
          title={instance.flavor ?? undefined}
        >
          {instance.flavor}
        </span>
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
      <RowActions
        className="jp-ModelArts-instanceActions"
        trans={trans}
        primary={offered([
          {
            label: trans.__('Open'),
            reason: instance.url
              ? null
              : trans.__('only a running instance can be opened'),
            run: () => actions.open(instance)
          },
          action(
            trans.__('Start'),
            can.start,
            () => actions.act(instance, 'start'),
            trans
          ),
          action(
            trans.__('Stop'),
            can.stop,
            () => actions.act(instance, 'stop'),
            trans
          )
        ])}
        secondary={offered([
          action(
            trans.__('Restart'),
            can.restart,
            () => actions.act(instance, 'restart'),
            trans
          ),
          action(
            trans.__('Queue'),
            can.queue,
            () => actions.act(instance, 'queue'),
            trans
          ),
          action(
            trans.__('Leave queue'),
            can.dequeue,
            () => actions.act(instance, 'dequeue'),
            trans
          ),
          instance.api !== 'pai'
            ? action(
                trans.__('Auto stop'),
                can.update,
                () => actions.changeAutoStop(instance),
                trans
              )
            : null,
          action(
            trans.__('Delete'),
            can.delete,
            () => actions.remove(instance),
            trans
          )
        ])}
      />
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
