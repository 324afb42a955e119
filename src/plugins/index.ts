import { JupyterFrontEndPlugin } from '@jupyterlab/application';

import deploy from './deploy';
import notebooks from './notebooks';
import training from './training';
import workspaces from './workspaces';

/**
 * The flow plugins (notebooks, training, models and services, ...): each
 * requires `IModelArts` and fills its sidebar section. One line per flow.
 */
export const flowPlugins: JupyterFrontEndPlugin<any>[] = [
  deploy,
  notebooks,
  training,
  workspaces
];
