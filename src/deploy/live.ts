import * as React from 'react';

import { IServerEvent, ServerEvents } from '../model/events';

/**
 * A list loaded from the REST API and reloaded when the event stream says it
 * changed (`resource` events of `kind`, or a `resync`).
 */
export function useLiveList<T>(
  load: () => Promise<T[]>,
  events: ServerEvents,
  kind: string
): { items: T[]; error: unknown; reload: () => void } {
  const [items, setItems] = React.useState<T[]>([]);
  const [error, setError] = React.useState<unknown>(null);
  const reload = React.useCallback(() => {
    load().then(found => {
      setItems(found);
      setError(null);
    }, setError);
  }, [load]);
  React.useEffect(() => {
    reload();
    const onEvent = (_: ServerEvents, event: IServerEvent) => {
      if (
        event.type === 'resync' ||
        (event.type === 'resource' && event.data.kind === kind) ||
        (event.type === 'operation' && event.data.kind === kind)
      ) {
        reload();
      }
    };
    events.received.connect(onEvent);
    return () => {
      events.received.disconnect(onEvent);
    };
  }, [reload, events, kind]);
  return { items, error, reload };
}
