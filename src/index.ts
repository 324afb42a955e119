import {
  ILayoutRestorer,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import {
  Dialog,
  ICommandPalette,
  Notification,
  showDialog
} from '@jupyterlab/apputils';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';
import { Poll } from '@lumino/polling';

import { finishedCards } from './components/finishedCards';
import { ModelArtsSidebar } from './components/Sidebar';
import { describeError } from './errors';
import { modelartsIcon } from './icons';
import { AccountModel } from './model/account';
import { ServerEvents } from './model/events';
import { IModelArts } from './tokens';
import { flowPlugins } from './plugins';
import { MANAGE_WORKSPACES_COMMAND } from './plugins/workspaces';
import { signIn } from './signIn';
import { setFormatLanguage } from './format';

/** The translation domain of every string of the extension. */
export const TRANSLATION_DOMAIN = 'jupyterlab_modelarts';

export const PLUGIN_ID = 'jupyterlab-modelarts:plugin';

export const CommandIDs = {
  openSidebar: 'modelarts:open-sidebar',
  refreshStatus: 'modelarts:refresh-status',
  signIn: 'modelarts:sign-in'
} as const;

const DEFAULT_STATUS_REFRESH_SECONDS = 60;
const ERROR_RETRY_MS = 5000;

const plugin: JupyterFrontEndPlugin<IModelArts> = {
  id: PLUGIN_ID,
  description:
    'ModelArts sidebar: notebook instances, training jobs, models and services.',
  autoStart: true,
  provides: IModelArts,
  optional: [ITranslator, ICommandPalette, ISettingRegistry, ILayoutRestorer],
  activate: (
    app: JupyterFrontEnd,
    translator: ITranslator | null,
    palette: ICommandPalette | null,
    settingRegistry: ISettingRegistry | null,
    restorer: ILayoutRestorer | null
  ): IModelArts => {
    const trans = (translator ?? nullTranslator).load(TRANSLATION_DOMAIN);
    setFormatLanguage((translator ?? nullTranslator).languageCode);

    const model = new AccountModel();
    const statusPoll = new Poll({
      factory: async () => {
        await model.refresh();
        if (model.state.kind === 'error') {
          // A server that is still starting answers soon: retry well before the next tick.
          window.setTimeout(() => void statusPoll.refresh(), ERROR_RETRY_MS);
        }
      },
      frequency: { interval: DEFAULT_STATUS_REFRESH_SECONDS * 1000 },
      name: `${PLUGIN_ID}:status`,
      standby: 'when-hidden'
    });

    // Failures of header actions become a notification with the upstream details.
    const reportFailure = (action: Promise<void>) =>
      action.catch(error => {
        Notification.error(describeError(error, trans), { autoClose: false });
      });

    const sidebar = new ModelArtsSidebar(model, trans, {
      refresh: () => void statusPoll.refresh(),
      signIn: () => void reportFailure(signIn(model, trans)),
      activate: profile => void reportFailure(model.activate(profile)),
      setWorkspace: id => void reportFailure(model.setWorkspace(id)),
      manageWorkspaces: () =>
        void app.commands.execute(MANAGE_WORKSPACES_COMMAND),
      signOut: profile =>
        void reportFailure(
          showDialog({
            title: trans.__('Sign out'),
            body: trans.__(
              'Forget profile %1 and delete its stored credentials?',
              profile
            ),
            buttons: [
              Dialog.cancelButton({ label: trans.__('Cancel') }),
              Dialog.warnButton({ label: trans.__('Sign out') })
            ]
          }).then(result =>
            result.button.accept ? model.signOut(profile) : undefined
          )
        )
    });
    sidebar.id = 'jp-modelarts-sidebar';
    sidebar.title.icon = modelartsIcon;
    sidebar.title.caption = trans.__('ModelArts');
    app.shell.add(sidebar, 'left', { rank: 900 });
    restorer?.add(sidebar, 'modelarts-sidebar');
    const events = new ServerEvents();
    sidebar.disposed.connect(() => {
      statusPoll.dispose();
      events.dispose();
    });

    app.commands.addCommand(CommandIDs.openSidebar, {
      label: trans.__('Open the ModelArts Sidebar'),
      icon: modelartsIcon,
      execute: () => app.shell.activateById(sidebar.id)
    });
    app.commands.addCommand(CommandIDs.refreshStatus, {
      label: trans.__('Refresh ModelArts Connection Status'),
      execute: () => statusPoll.refresh()
    });
    app.commands.addCommand(CommandIDs.signIn, {
      label: trans.__('Sign in to a Cloud Account…'),
      execute: () => reportFailure(signIn(model, trans))
    });
    const category = trans.__('ModelArts');
    palette?.addItem({ command: CommandIDs.openSidebar, category });
    palette?.addItem({ command: CommandIDs.refreshStatus, category });
    palette?.addItem({ command: CommandIDs.signIn, category });

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
            finishedCards.clearAfterMinutes = settings.get(
              'finishedOperationMinutes'
            ).composite as number;
          };
          apply();
          settings.changed.connect(apply);
        })
        .catch(reason => {
          console.error(`Failed to load settings for ${PLUGIN_ID}.`, reason);
        });
    }
    return {
      account: model,
      events,
      trans,
      setSection: (id, widget) => sidebar.setSection(id, widget),
      showSidebar: () => app.shell.activateById(sidebar.id)
    };
  }
};

export default [plugin, ...flowPlugins];
