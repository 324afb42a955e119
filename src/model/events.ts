import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';
import { IDisposable } from '@lumino/disposable';
import { ISignal, Signal } from '@lumino/signaling';

import { API_PATH } from '../api';

/** Event types of the server's stream (see the OpenAPI document's `/events`). */
export type ServerEventType =
  'resource' | 'resource_error' | 'operation' | 'resync';

export interface IServerEvent {
  type: ServerEventType;
  data: any;
}

/** A change of a watched list: `kind` is e.g. 'notebooks', `profile` the profile name. */
export interface IResourceEvent {
  kind: string;
  profile: string;
  change: 'upsert' | 'remove';
  id: string;
  item: any;
}

const EVENT_TYPES: ServerEventType[] = [
  'resource',
  'resource_error',
  'operation',
  'resync'
];

/**
 * The one event stream of this tab. The browser's EventSource reconnects by
 * itself and sends the last event id, so the server replays what was missed.
 */
export class ServerEvents implements IDisposable {
  constructor(
    settings: ServerConnection.ISettings = ServerConnection.makeSettings()
  ) {
    let url = URLExt.join(settings.baseUrl, API_PATH, 'events');
    if (settings.token) {
      url += `?token=${encodeURIComponent(settings.token)}`;
    }
    this._source = new EventSource(url, { withCredentials: true });
    for (const type of EVENT_TYPES) {
      this._source.addEventListener(type, message => {
        this._received.emit({
          type,
          data: JSON.parse((message as MessageEvent).data)
        });
      });
    }
  }

  /** Every event, in the order the server published them. */
  get received(): ISignal<this, IServerEvent> {
    return this._received;
  }

  get isDisposed(): boolean {
    return this._isDisposed;
  }

  dispose(): void {
    if (this._isDisposed) {
      return;
    }
    this._isDisposed = true;
    this._source.close();
    Signal.clearData(this);
  }

  private _source: EventSource;
  private _received = new Signal<this, IServerEvent>(this);
  private _isDisposed = false;
}
