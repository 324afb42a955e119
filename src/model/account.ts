import { ISignal, Signal } from '@lumino/signaling';

import {
  activateProfile,
  fetchStatus,
  IProfile,
  IProfileInput,
  IStatus,
  IWorkspace,
  listProfiles,
  listWorkspaces,
  saveProfile,
  setWorkspace,
  signOut
} from '../api';

/** What the header knows about the connection to the server extension. */
export type ConnectionState =
  | { kind: 'loading' }
  | { kind: 'ok'; status: IStatus }
  | { kind: 'error'; message: string };

/**
 * The active account as the sidebar shows it: the server's status, the
 * profiles to switch between and the workspaces of the active profile.
 */
export class AccountModel {
  get state(): ConnectionState {
    return this._state;
  }

  get profiles(): IProfile[] {
    return this._profiles;
  }

  get workspaces(): IWorkspace[] {
    return this._workspaces;
  }

  /** Emitted whenever anything above changes. */
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  /** Ask the server again; failures become the `error` state, never a throw. */
  async refresh(): Promise<void> {
    try {
      const [status, profiles] = await Promise.all([
        fetchStatus(),
        listProfiles()
      ]);
      this._state = { kind: 'ok', status };
      this._profiles = profiles.profiles;
      this._workspaces =
        status.connection.state === 'ok' && status.profile_backend !== 'pai'
          ? await listWorkspaces().catch(() => [])
          : [];
    } catch (error) {
      this._state = {
        kind: 'error',
        message: error instanceof Error ? error.message : String(error)
      };
    }
    this._changed.emit();
  }

  async activate(name: string): Promise<void> {
    await activateProfile(name);
    await this.refresh();
  }

  /** Add or edit a profile; rejects with the server's `APIError` (with `field`). */
  async save(input: IProfileInput, activate: boolean): Promise<IProfile> {
    const profile = await saveProfile(input);
    if (activate) {
      await activateProfile(profile.name);
    }
    await this.refresh();
    return profile;
  }

  async signOut(name: string): Promise<void> {
    await signOut(name);
    await this.refresh();
  }

  async setWorkspace(workspaceId: string): Promise<void> {
    if (this._state.kind !== 'ok') {
      return;
    }
    await setWorkspace(this._state.status.profile, workspaceId);
    await this.refresh();
  }

  private _state: ConnectionState = { kind: 'loading' };
  private _profiles: IProfile[] = [];
  private _workspaces: IWorkspace[] = [];
  private _changed = new Signal<this, void>(this);
}
