import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette, ReactWidget } from '@jupyterlab/apputils';
import * as React from 'react';

import { InstanceActions } from '../notebooks/actions';
import { InstancesPanel } from '../notebooks/InstancesPanel';
import { InstancesModel } from '../notebooks/model';
import { newInstance } from '../notebooks/newInstance';
import { notifyTransitions } from '../notebooks/notifications';
import { IModelArts } from '../tokens';

const NEW_NOTEBOOK = 'modelarts:new-notebook-instance';

const plugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyterlab-modelarts:notebooks',
  description:
    'Notebook instances (DevEnviron, Notebooks, PAI DSW) in the sidebar.',
  autoStart: true,
  requires: [IModelArts],
  optional: [ICommandPalette],
  activate: (
    app: JupyterFrontEnd,
    modelarts: IModelArts,
    palette: ICommandPalette | null
  ) => {
    const { trans, events, account } = modelarts;
    const model = new InstancesModel(events, account, trans);
    const actions = new InstanceActions(model, trans);
    notifyTransitions(model, actions, trans);

    app.commands.addCommand(NEW_NOTEBOOK, {
      label: trans.__('New notebook instance'),
      caption: trans.__('Create a notebook instance on ModelArts or PAI DSW'),
      isEnabled: () => model.apis.length > 0,
      execute: async () => {
        const created = await newInstance(model, trans);
        if (created) {
          model.put(created);
          modelarts.showSidebar();
        }
      }
    });
    palette?.addItem({ command: NEW_NOTEBOOK, category: 'ModelArts' });

    const panel = ReactWidget.create(
      React.createElement(InstancesPanel, {
        model,
        actions,
        trans,
        onCreate: () => void app.commands.execute(NEW_NOTEBOOK)
      })
    );
    panel.addClass('jp-ModelArts-section');
    modelarts.setSection('notebooks', panel);
    void model.refresh();
  }
};

export default plugin;
