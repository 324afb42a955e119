import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import * as React from 'react';

import { showMainPanel } from '../components/mainPanel';
import { modelartsIcon } from '../icons';
import { IModelArts } from '../tokens';
import { WorkspacesManager } from '../workspaces/WorkspacesManager';

export const MANAGE_WORKSPACES_COMMAND = 'modelarts:manage-workspaces';
const PANEL_ID = 'jp-modelarts-workspaces';

const plugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyterlab-modelarts:workspaces',
  description:
    'Manage workspaces: create, show, modify, delete and set quotas, from the account header.',
  autoStart: true,
  requires: [IModelArts],
  optional: [ICommandPalette],
  activate: (
    app: JupyterFrontEnd,
    modelarts: IModelArts,
    palette: ICommandPalette | null
  ) => {
    const { trans, account } = modelarts;
    app.commands.addCommand(MANAGE_WORKSPACES_COMMAND, {
      label: trans.__('Manage workspaces'),
      caption: trans.__(
        'Create, modify and delete the workspaces of the active profile and set their quotas'
      ),
      icon: modelartsIcon,
      execute: () =>
        showMainPanel(app, PANEL_ID, trans.__('Workspaces'), () =>
          React.createElement(WorkspacesManager, {
            trans,
            onChanged: () => void account.refresh()
          })
        )
    });
    palette?.addItem({
      command: MANAGE_WORKSPACES_COMMAND,
      category: trans.__('ModelArts')
    });
  }
};

export default plugin;
