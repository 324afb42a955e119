import { TranslationBundle } from '@jupyterlab/translation';
import { IDisposable } from '@lumino/disposable';
import { ISignal, Signal } from '@lumino/signaling';

import { describeError } from '../errors';
import { AccountModel } from '../model/account';
import { IServerEvent, ServerEvents } from '../model/events';
import { IInstance, InstanceApi, listInstances, UnavailableApis } from './api';

/** The kind of the server's instance watcher. */
export const INSTANCES_KIND = 'instances';

/** An instance whose status changed while the tab watched. */
export interface ITransition {
  before: IInstance;
  after: IInstance;
}

/**
 * The active profile's instances: loaded once, then kept current by the
 * server's `resource` events (no polling from the tab).
 */
export class InstancesModel implements IDisposable {
  constructor(
    events: ServerEvents,
    private readonly account: AccountModel,
    private readonly trans: TranslationBundle
  ) {
    events.received.connect(this._onEvent, this);
    account.changed.connect(this._onAccountChanged, this);
  }

  get items(): IInstance[] {
    return [...this._items.values()].sort(
      (a, b) => (b.created_at ?? 0) - (a.created_at ?? 0)
    );
  }

  get apis(): InstanceApi[] {
    return this._apis;
  }

  /** The APIs the active profile's cloud lacks, with the server's refusal. */
  get unavailable(): UnavailableApis {
    return this._unavailable;
  }

  get error(): string | null {
    return this._error;
  }

  get loaded(): boolean {
    return this._loaded;
  }

  get changed(): ISignal<this, void> {
    return this._changed;
  }

  /** Emitted when an instance's status changes (not when it first appears). */
  get transitioned(): ISignal<this, ITransition> {
    return this._transitioned;
  }

  async refresh(): Promise<void> {
    try {
      const list = await listInstances();
      this._profile = list.profile;
      this._apis = list.apis;
      this._unavailable = list.unavailable ?? {};
      this._items = new Map(list.items.map(item => [item.key, item]));
      this._error = null;
    } catch (error) {
      this._error = describeError(error, this.trans);
    }
    this._loaded = true;
    this._changed.emit();
  }

  /** Take an instance the REST API just answered with (e.g. after an action). */
  put(item: IInstance): void {
    this._upsert(item);
    this._changed.emit();
  }

  get isDisposed(): boolean {
    return this._isDisposed;
  }

  dispose(): void {
    if (this._isDisposed) {
      return;
    }
    this._isDisposed = true;
    Signal.clearData(this);
  }

  private _onEvent(_: ServerEvents, event: IServerEvent): void {
    if (event.type === 'resync') {
      void this.refresh();
      return;
    }
    const data = event.data;
    if (data?.kind !== INSTANCES_KIND || data.profile !== this._profile) {
      return;
    }
    if (event.type === 'resource_error') {
      this._error = data.message;
    } else if (event.type === 'resource') {
      this._error = null;
      if (data.change === 'remove') {
        this._items.delete(data.id);
      } else {
        this._upsert(data.item as IInstance);
      }
    }
    this._changed.emit();
  }

  private _upsert(item: IInstance): void {
    const before = this._items.get(item.key);
    // A single-instance answer carries the upstream record; keep lists light.
    const light = { ...item };
    delete light.raw;
    this._items.set(item.key, light);
    if (before && before.status !== item.status) {
      this._transitioned.emit({ before, after: light });
    }
  }

  private _onAccountChanged(): void {
    const state = this.account.state;
    const profile = state.kind === 'ok' ? state.status.profile : null;
    if (profile !== this._profile) {
      void this.refresh();
    }
  }

  private _items = new Map<string, IInstance>();
  private _apis: InstanceApi[] = [];
  private _unavailable: UnavailableApis = {};
  private _profile: string | null = null;
  private _error: string | null = null;
  private _loaded = false;
  private _isDisposed = false;
  private _changed = new Signal<this, void>(this);
  private _transitioned = new Signal<this, ITransition>(this);
}
