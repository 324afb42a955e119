import { nullTranslator } from '@jupyterlab/translation';
import { fireEvent, render, screen } from '@testing-library/react';
import * as React from 'react';
import { describe, expect, it, vi } from 'vitest';

import {
  AccountHeader,
  IAccountHeaderProps
} from '../components/AccountHeader';
import { localProfile, localStatus, prodProfile } from './fixtures';

const trans = nullTranslator.load('jupyterlab_modelarts');

function renderSidebar(overrides: Partial<IAccountHeaderProps> = {}) {
  const props: IAccountHeaderProps = {
    state: { kind: 'ok', status: localStatus },
    profiles: [localProfile, prodProfile],
    workspaces: [
      { id: '0', name: 'default' },
      { id: 'ws1', name: 'team_a' }
    ],
    trans,
    onRefresh: vi.fn(),
    onSignIn: vi.fn(),
    onSignOut: vi.fn(),
    onActivate: vi.fn(),
    onWorkspace: vi.fn(),
    onManageWorkspaces: vi.fn(),
    ...overrides
  };
  render(<AccountHeader {...props} />);
  return props;
}

describe('AccountHeader', () => {
  it('shows the local account, connection and region', () => {
    renderSidebar();
    expect(screen.getAllByText('Local ModelArts').length).toBeGreaterThan(0);
    expect(screen.getByText('Connected')).toBeTruthy();
    expect(screen.getByText('cn-north-4')).toBeTruthy();
    expect(screen.getByText('Training: v1')).toBeTruthy();
    expect(screen.queryByText('No credentials configured')).toBeNull();
  });

  it("names a cloud profile's cloud and its training API", () => {
    renderSidebar({
      state: {
        kind: 'ok',
        status: {
          ...localStatus,
          backend: 'cloud',
          profile: 'prod',
          profile_backend: 'modelarts',
          cloud: 'huaweicloud',
          cloud_label: 'Huawei Cloud',
          training_api: 'v2'
        }
      }
    });
    expect(screen.getByText('Huawei Cloud')).toBeTruthy();
    expect(screen.getByText('Training: v2')).toBeTruthy();
  });

  it('switches profile and workspace through the pickers', () => {
    const props = renderSidebar();
    fireEvent.change(screen.getByLabelText('Profile'), {
      target: { value: 'prod' }
    });
    expect(props.onActivate).toHaveBeenCalledWith('prod');
    fireEvent.change(screen.getByLabelText('Workspace'), {
      target: { value: 'ws1' }
    });
    expect(props.onWorkspace).toHaveBeenCalledWith('ws1');
  });

  it('shows an authentication failure with the upstream message and code', () => {
    renderSidebar({
      state: {
        kind: 'ok',
        status: {
          ...localStatus,
          backend: 'cloud',
          profile: 'prod',
          profile_backend: 'modelarts',
          account: '****WXYZ',
          connection: {
            state: 'auth_failed',
            message: 'signature mismatch',
            upstream: { error_code: 'APIGW.0301' }
          }
        }
      }
    });
    expect(screen.getByText('Authentication failed')).toBeTruthy();
    expect(screen.getByText('signature mismatch (APIGW.0301)')).toBeTruthy();
  });

  it('offers sign-out only for a profile the user added', () => {
    const props = renderSidebar({
      state: {
        kind: 'ok',
        status: { ...localStatus, profile: 'prod', backend: 'cloud' }
      }
    });
    fireEvent.click(screen.getByTitle('Sign out of profile prod'));
    expect(props.onSignOut).toHaveBeenCalledWith('prod');
  });

  it('says when the server cannot be reached and refreshes on request', () => {
    const props = renderSidebar({
      state: { kind: 'error', message: 'Bad gateway' }
    });
    expect(screen.getByText(/Cannot reach .*Bad gateway/)).toBeTruthy();
    expect(screen.queryByTitle(/Sign out/)).toBeNull();
    fireEvent.click(screen.getByTitle('Refresh connection status'));
    expect(props.onRefresh).toHaveBeenCalledOnce();
  });
});
