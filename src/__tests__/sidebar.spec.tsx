import { nullTranslator } from '@jupyterlab/translation';
import { fireEvent, render, screen } from '@testing-library/react';
import * as React from 'react';
import { describe, expect, it, vi } from 'vitest';

import { SidebarView } from '../components/Sidebar';

const trans = nullTranslator.load('jupyterlab_modelarts');

describe('SidebarView', () => {
  it('shows the local account, region and the four sections with their empty states', () => {
    render(
      <SidebarView
        trans={trans}
        onRefresh={() => undefined}
        state={{
          kind: 'ok',
          status: {
            backend: 'local',
            region: 'cn-north-4',
            project_id: null,
            account: 'Local ModelArts',
            endpoint: 'http://127.0.0.1:40123',
            credentials_present: true,
            version: '0.1.0'
          }
        }}
      />
    );
    expect(screen.getByText('Local ModelArts')).toBeTruthy();
    expect(screen.getByText('cn-north-4')).toBeTruthy();
    for (const title of ['Notebooks', 'Training', 'Models', 'Services']) {
      expect(screen.getByRole('region', { name: title })).toBeTruthy();
    }
    expect(screen.getByText(/Training jobs appear here/)).toBeTruthy();
    expect(screen.queryByText('No credentials configured')).toBeNull();
  });

  it('says when the server cannot be reached and refreshes on request', () => {
    const onRefresh = vi.fn();
    render(
      <SidebarView
        trans={trans}
        onRefresh={onRefresh}
        state={{ kind: 'error', message: 'Bad gateway' }}
      />
    );
    expect(screen.getByText(/Cannot reach .*Bad gateway/)).toBeTruthy();
    fireEvent.click(screen.getByTitle('Refresh connection status'));
    expect(onRefresh).toHaveBeenCalledOnce();
  });

  it('collapses a section when its header is clicked', () => {
    render(
      <SidebarView
        trans={trans}
        onRefresh={() => undefined}
        state={{ kind: 'loading' }}
      />
    );
    const header = screen.getByRole('button', { name: 'Models' });
    fireEvent.click(header);
    expect(header.getAttribute('aria-expanded')).toBe('false');
    expect(screen.queryByText(/Imported models appear here/)).toBeNull();
  });
});
