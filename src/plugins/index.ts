import { JupyterFrontEndPlugin } from '@jupyterlab/application';

/**
 * The flow plugins (notebooks, training, models and services, ...): each
 * requires `IModelArts` and fills its sidebar section. One line per flow.
 */
export const flowPlugins: JupyterFrontEndPlugin<any>[] = [];
