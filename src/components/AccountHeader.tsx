import { TranslationBundle } from '@jupyterlab/translation';
import { refreshIcon, ToolbarButtonComponent } from '@jupyterlab/ui-components';
import * as React from 'react';

import { IStatus } from '../api';

/** What the header knows about the connection. */
export type ConnectionState =
  | { kind: 'loading' }
  | { kind: 'ok'; status: IStatus }
  | { kind: 'error'; message: string };

export interface IAccountHeaderProps {
  state: ConnectionState;
  trans: TranslationBundle;
  onRefresh: () => void;
}

/** The account line at the top of the sidebar: backend, account, region, project. */
export function AccountHeader(props: IAccountHeaderProps): JSX.Element {
  const { state, trans } = props;
  return (
    <div className="jp-ModelArts-header" data-state={state.kind}>
      <div className="jp-ModelArts-headerMain">
        <span className="jp-ModelArts-headerTitle">
          {trans.__('ModelArts')}
        </span>
        <ToolbarButtonComponent
          icon={refreshIcon}
          onClick={props.onRefresh}
          tooltip={trans.__('Refresh connection status')}
        />
      </div>
      <AccountDetails state={state} trans={trans} />
    </div>
  );
}

function AccountDetails(props: {
  state: ConnectionState;
  trans: TranslationBundle;
}): JSX.Element {
  const { state, trans } = props;
  if (state.kind === 'loading') {
    return (
      <div className="jp-ModelArts-headerDetails">
        {trans.__('Connecting…')}
      </div>
    );
  }
  if (state.kind === 'error') {
    return (
      <div className="jp-ModelArts-headerDetails jp-ModelArts-headerError">
        {trans.__(
          'Cannot reach the ModelArts server extension: %1',
          state.message
        )}
      </div>
    );
  }
  const { status } = state;
  const local = status.backend === 'local';
  return (
    <dl className="jp-ModelArts-headerDetails">
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
      <div className="jp-ModelArts-headerRow">
        <dt>{trans.__('Region')}</dt>
        <dd className="jp-ModelArts-region">{status.region}</dd>
      </div>
      <div className="jp-ModelArts-headerRow">
        <dt>{trans.__('Project')}</dt>
        <dd className="jp-ModelArts-project">
          {status.project_id ?? trans.__('looked up on first use')}
        </dd>
      </div>
      {!status.credentials_present && (
        <div className="jp-ModelArts-headerWarning">
          {trans.__('No credentials configured')}
        </div>
      )}
    </dl>
  );
}
