import { TranslationBundle } from '@jupyterlab/translation';
import {
  addIcon,
  closeIcon,
  refreshIcon,
  ToolbarButtonComponent
} from '@jupyterlab/ui-components';
import * as React from 'react';

import { IConnection, IProfile, IStatus, IWorkspace } from '../api';
import { ConnectionState } from '../model/account';
import { cloudLabel } from '../wording';
import { IdText } from './IdText';

export interface IAccountHeaderProps {
  state: ConnectionState;
  profiles: IProfile[];
  workspaces: IWorkspace[];
  trans: TranslationBundle;
  onRefresh: () => void;
  onSignIn: () => void;
  onSignOut: (profile: string) => void;
  onActivate: (profile: string) => void;
  onWorkspace: (workspaceId: string) => void;
  onManageWorkspaces: () => void;
}

/** The top of the sidebar: active profile, connection, region, project, workspace. */
export function AccountHeader(props: IAccountHeaderProps): JSX.Element {
  const { state, trans } = props;
  const status = state.kind === 'ok' ? state.status : null;
  const activeProfile = props.profiles.find(p => p.name === status?.profile);
  const canSignOut = activeProfile !== undefined && !activeProfile.managed;
  return (
    <div className="jp-ModelArts-header" data-state={state.kind}>
      <div className="jp-ModelArts-headerMain">
        <span className="jp-ModelArts-headerTitle">
          {trans.__('ModelArts')}
        </span>
        <span className="jp-ModelArts-headerActions">
          <ToolbarButtonComponent
            icon={addIcon}
            onClick={props.onSignIn}
            tooltip={trans.__('Sign in to a cloud account')}
          />
          {canSignOut && (
            <ToolbarButtonComponent
              icon={closeIcon}
              onClick={() => props.onSignOut(activeProfile.name)}
              tooltip={trans.__('Sign out of profile %1', activeProfile.name)}
            />
          )}
          <ToolbarButtonComponent
            icon={refreshIcon}
            onClick={props.onRefresh}
            tooltip={trans.__('Refresh connection status')}
          />
        </span>
      </div>
      {state.kind === 'loading' && (
        <div className="jp-ModelArts-headerDetails">
          {trans.__('Connecting…')}
        </div>
      )}
      {state.kind === 'error' && (
        <div className="jp-ModelArts-headerDetails jp-ModelArts-headerError">
          {trans.__(
            'Cannot reach the ModelArts server extension: %1',
            state.message
          )}
        </div>
      )}
      {status && <AccountDetails {...props} status={status} />}
    </div>
  );
}

function AccountDetails(
  props: IAccountHeaderProps & { status: IStatus }
): JSX.Element {
  const { status, trans } = props;
  const local = status.backend === 'local';
  const workspaceKnown = props.workspaces.some(
    w => w.id === status.workspace_id
  );
  return (
    <dl className="jp-ModelArts-headerDetails">
      <div className="jp-ModelArts-headerRow">
        <dt>
          <label htmlFor="jp-ModelArts-profileSelect">
            {trans.__('Profile')}
          </label>
        </dt>
        <dd>
          <select
            id="jp-ModelArts-profileSelect"
            className="jp-ModelArts-select"
            value={status.profile}
            onChange={event => props.onActivate(event.target.value)}
          >
            {props.profiles.map(profile => (
              <option key={profile.name} value={profile.name}>
                {profile.name === 'local'
                  ? trans.__('Local ModelArts')
                  : profile.name}
              </option>
            ))}
          </select>
        </dd>
      </div>
      <div className="jp-ModelArts-headerRow">
        <dt>{trans.__('Account')}</dt>
        <dd className="jp-ModelArts-account">
          {local ? trans.__('Local ModelArts') : status.account}
          <span
            className={`jp-ModelArts-chip jp-ModelArts-chip-${status.backend}`}
            title={status.endpoint ?? undefined}
          >
            {local ? trans.__('Local') : trans.__('Cloud')}
          </span>
        </dd>
      </div>
      <ConnectionRow connection={status.connection} trans={trans} />
      {!local && (
        <div className="jp-ModelArts-headerRow">
          <dt>{trans.__('Cloud')}</dt>
          <dd className="jp-ModelArts-cloud">
            {cloudLabel(status.cloud, status.cloud_label, trans)}
          </dd>
        </div>
      )}
      {status.profile_backend !== 'pai' && (
        <div className="jp-ModelArts-headerRow">
          <dt>{trans.__('API')}</dt>
          <dd className="jp-ModelArts-trainingApi">
            {trans.__('Training: %1', status.training_api)}
          </dd>
        </div>
      )}
      <div className="jp-ModelArts-headerRow">
        <dt>{trans.__('Region')}</dt>
        <dd className="jp-ModelArts-region">{status.region}</dd>
      </div>
      <div className="jp-ModelArts-headerRow">
        <dt>{trans.__('Project')}</dt>
        <dd className="jp-ModelArts-project">
          {status.project_id ? (
            <IdText id={status.project_id} trans={trans} />
          ) : (
            trans.__('looked up on first use')
          )}
        </dd>
      </div>
      {status.profile_backend !== 'pai' && (
        <div className="jp-ModelArts-headerRow">
          <dt>
            <label htmlFor="jp-ModelArts-workspaceSelect">
              {trans.__('Workspace')}
            </label>
          </dt>
          <dd>
            <select
              id="jp-ModelArts-workspaceSelect"
              className="jp-ModelArts-select"
              value={status.workspace_id}
              disabled={props.workspaces.length === 0}
              onChange={event => props.onWorkspace(event.target.value)}
            >
              {!workspaceKnown && (
                <option value={status.workspace_id}>
                  {status.workspace_id === '0'
                    ? trans.__('default')
                    : status.workspace_id}
                </option>
              )}
              {props.workspaces.map(workspace => (
                <option key={workspace.id} value={workspace.id}>
                  {workspace.id === '0'
                    ? trans.__('default')
                    : (workspace.name ?? workspace.id)}
                </option>
              ))}
            </select>
          </dd>
        </div>
      )}
      {status.profile_backend !== 'pai' && (
        <div className="jp-ModelArts-headerRow">
          <dt />
          <dd>
            <button
              className="jp-ModelArts-manageWorkspaces"
              onClick={props.onManageWorkspaces}
            >
              {trans.__('Manage workspaces')}
            </button>
          </dd>
        </div>
      )}
      {!status.credentials_present && (
        <div className="jp-ModelArts-headerWarning">
          {trans.__('No credentials configured')}
        </div>
      )}
    </dl>
  );
}

function ConnectionRow(props: {
  connection: IConnection;
  trans: TranslationBundle;
}): JSX.Element {
  const { connection, trans } = props;
  const labels: Record<IConnection['state'], string> = {
    ok: trans.__('Connected'),
    no_credentials: trans.__('No credentials'),
    auth_failed: trans.__('Authentication failed'),
    unreachable: trans.__('Unreachable'),
    error: trans.__('Error'),
    unknown: trans.__('Not checked')
  };
  const code = connection.upstream?.error_code;
  return (
    <div className="jp-ModelArts-headerRow">
      <dt>{trans.__('Connection')}</dt>
      <dd
        className={`jp-ModelArts-connection jp-ModelArts-connection-${connection.state}`}
        data-connection={connection.state}
        title={connection.message}
      >
        {labels[connection.state]}
        {connection.message && connection.state !== 'ok' && (
          <div className="jp-ModelArts-connectionMessage">
            {code ? `${connection.message} (${code})` : connection.message}
          </div>
        )}
      </dd>
    </div>
  );
}
