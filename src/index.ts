import {
  ILayoutRestorer,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';
import { Poll } from '@lumino/polling';

import { fetchStatus } from './api';
import { ModelArtsSidebar } from './components/Sidebar';
import { modelartsIcon } from './icons';

/** The translation domain of every string of the extension. */
export const TRANSLATION_DOMAIN = 'jupyterlab_modelarts';

export const PLUGIN_ID = 'jupyterlab-modelarts:plugin';

export const CommandIDs = {
  openSidebar: 'modelarts:open-sidebar',
  refreshStatus: 'modelarts:refresh-status'
} as const;

const DEFAULT_STATUS_REFRESH_SECONDS = 60;
const ERROR_RETRY_MS = 5000;

const plugin: JupyterFrontEndPlugin<void> = {
  id: PLUGIN_ID,
  description:
    'ModelArts sidebar: notebook instances, training jobs, models and services.',
  autoStart: true,
  optional: [ITranslator, ICommandPalette, ISettingRegistry, ILayoutRestorer],
  activate: (
    app: JupyterFrontEnd,
    translator: ITranslator | null,
    palette: ICommandPalette | null,
    settingRegistry: ISettingRegistry | null,
    restorer: ILayoutRestorer | null
  ) => {
    const trans = (translator ?? nullTranslator).load(TRANSLATION_DOMAIN);

    const statusPoll = new Poll({
      factory: async () => {
        try {
          sidebar.setState({ kind: 'ok', status: await fetchStatus() });
        } catch (error) {
          sidebar.setState({
            kind: 'error',
            message: error instanceof Error ? error.message : String(error)
          });
          // A server that is still starting answers soon: retry well before the next tick.
          window.setTimeout(() => void statusPoll.refresh(), ERROR_RETRY_MS);
        }
      },
      frequency: { interval: DEFAULT_STATUS_REFRESH_SECONDS * 1000 },
      name: `${PLUGIN_ID}:status`,
      standby: 'when-hidden'
    });

    const sidebar = new ModelArtsSidebar(trans, () => {
      void statusPoll.refresh();
    });
    sidebar.id = 'jp-modelarts-sidebar';
    sidebar.title.icon = modelartsIcon;
    sidebar.title.caption = trans.__('ModelArts');
    app.shell.add(sidebar, 'left', { rank: 900 });
    restorer?.add(sidebar, 'modelarts-sidebar');
    sidebar.disposed.connect(() => statusPoll.dispose());

    app.commands.addCommand(CommandIDs.openSidebar, {
      label: trans.__('Open the ModelArts Sidebar'),
      icon: modelartsIcon,
      execute: () => app.shell.activateById(sidebar.id)
    });
    app.commands.addCommand(CommandIDs.refreshStatus, {
      label: trans.__('Refresh ModelArts Connection Status'),
      execute: () => statusPoll.refresh()
    });
    const category = trans.__('ModelArts');
    palette?.addItem({ command: CommandIDs.openSidebar, category });
    palette?.addItem({ command: CommandIDs.refreshStatus, category });

    if (settingRegistry) {
      settingRegistry
        .load(PLUGIN_ID)
        .then(settings => {
          const apply = () => {
            const seconds = settings.get('statusRefreshSeconds')
              .composite as number;
            statusPoll.frequency = {
              ...statusPoll.frequency,
              interval: seconds * 1000
            };
          };
          apply();
          settings.changed.connect(apply);
        })
        .catch(reason => {
          console.error(`Failed to load settings for ${PLUGIN_ID}.`, reason);
        });
    }
  }
};

export default plugin;
