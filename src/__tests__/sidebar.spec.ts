import { nullTranslator } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';
import { waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import { ModelArtsSidebar } from '../components/Sidebar';
import { AccountModel } from '../model/account';

const trans = nullTranslator.load('jupyterlab_modelarts');
const actions = {
  refresh: () => undefined,
  signIn: () => undefined,
  signOut: () => undefined,
  activate: () => undefined,
  setWorkspace: () => undefined,
  manageWorkspaces: () => undefined
};

describe('ModelArtsSidebar', () => {
  it('has the four sections in order, each saying what will appear in it', async () => {
    const sidebar = new ModelArtsSidebar(new AccountModel(), trans, actions);
    expect(sidebar.widgets.map(w => w.title.label)).toEqual([
      'Notebooks',
      'Training',
      'Models',
      'Services'
    ]);
    Widget.attach(sidebar, document.body);
    await waitFor(() =>
      expect(sidebar.widgets[1].node.textContent).toMatch(
        /Training jobs appear here/
      )
    );
    sidebar.dispose();
  });

  it('lets a flow put its own widget in its section, keeping the order and title', () => {
    const sidebar = new ModelArtsSidebar(new AccountModel(), trans, actions);
    const jobs = new Widget();
    sidebar.setSection('training', jobs);
    expect(sidebar.widgets[1]).toBe(jobs);
    expect(jobs.title.label).toBe('Training');
    expect(jobs.node.dataset.section).toBe('training');
    expect(sidebar.widgets).toHaveLength(4);
    sidebar.dispose();
  });
});
