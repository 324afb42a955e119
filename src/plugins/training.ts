import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import {
  ICommandPalette,
  Notification,
  ReactWidget,
  ToolbarButton
} from '@jupyterlab/apputils';
import type { DocumentRegistry } from '@jupyterlab/docregistry';
import { Widget } from '@lumino/widgets';
import { DisposableDelegate, IDisposable } from '@lumino/disposable';
import * as React from 'react';

import { importTrainingOutput } from '../deploy/deployDialog';
import { describeError } from '../errors';
import { modelartsIcon } from '../icons';
import { IModelArts } from '../tokens';
import {
  ITrainingJob,
  ITrainingVersion,
  JobId,
  TrainingApi,
  trainingApi
} from '../training/api';
import { showMainPanel } from '../components/mainPanel';
import { Algorithms } from '../training/Algorithms';
import { ConfigsManager } from '../training/ConfigsManager';
import { JobsPanel } from '../training/JobsPanel';
import { trainFromFile } from '../training/launch';
import { createLogViewer, logTitle, versionName } from '../training/LogViewer';
import { JobEndNotifier } from '../training/notifications';
import { downloadOutput } from '../training/openOutput';

export const TRAIN_COMMAND = 'modelarts:train';
export const OPEN_OUTPUT_COMMAND = 'modelarts:open-training-output';
export const DEPLOY_OUTPUT_COMMAND = 'modelarts:deploy-training-output';
/** The deploy plugin's command for a model folder or file of the server root. */
const DEPLOY_COMMAND = 'modelarts:deploy';
export const CONFIGS_COMMAND = 'modelarts:training-configs';
export const ALGORITHMS_COMMAND = 'modelarts:built-in-algorithms';
const TRAINABLE = /\.(py|ipynb)$/;

/** The path of the document or file-browser item a command was invoked on. */
function targetPath(
  app: JupyterFrontEnd,
  args: { path?: unknown }
): string | null {
  if (typeof args.path === 'string' && args.path) {
    return args.path;
  }
  // The file browser's selection (its widget is looked up by id: the
  // extension does not depend on @jupyterlab/filebrowser).
  const node = app.contextMenuHitTest(n =>
    n.classList.contains('jp-DirListing-item')
  );
  if (node) {
    for (const widget of app.shell.widgets('left')) {
      const browser = widget as any;
      if (widget.id === 'filebrowser' && browser.selectedItems) {
        const [item] = [...browser.selectedItems()];
        if (item?.path) {
          return item.path as string;
        }
      }
    }
  }
  const current = app.shell.currentWidget as any;
  const path = current?.context?.path;
  return typeof path === 'string' ? path : null;
}

/** Adds the "Train on ModelArts" button to documents of a kind. */
class TrainButtonExtension implements DocumentRegistry.IWidgetExtension<
  Widget & { toolbar: any },
  DocumentRegistry.IModel
> {
  constructor(
    private readonly app: JupyterFrontEnd,
    private readonly label: string
  ) {}

  createNew(
    panel: Widget & { toolbar: any },
    context: DocumentRegistry.IContext<DocumentRegistry.IModel>
  ): IDisposable {
    if (!TRAINABLE.test(context.path)) {
      return new DisposableDelegate(() => undefined);
    }
    const button = new ToolbarButton({
      className: 'jp-ModelArts-trainButton',
      icon: modelartsIcon,
      label: this.label,
      tooltip: this.label,
      onClick: () =>
        void this.app.commands.execute(TRAIN_COMMAND, { path: context.path })
    });
    panel.toolbar.insertItem(10, 'modelartsTrain', button);
    return button;
  }
}

const plugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyterlab-modelarts:training',
  description:
    'Train on ModelArts from the open file; the Training section, log viewer and notifications.',
  autoStart: true,
  requires: [IModelArts],
  optional: [ICommandPalette],
  activate: (
    app: JupyterFrontEnd,
    modelarts: IModelArts,
    palette: ICommandPalette | null
  ) => {
    const { trans, events } = modelarts;
    const label = trans.__('Train on ModelArts');

    const openLog = (
      jobId: JobId,
      versionId: number,
      title: string,
      generation?: TrainingApi
    ) => {
      const id = `modelarts-log-${jobId}-${versionId}`;
      const open = [...app.shell.widgets('main')].find(w => w.id === id);
      if (open) {
        app.shell.activateById(id);
        return;
      }
      app.shell.add(
        createLogViewer(jobId, versionId, title, trans, generation),
        'main'
      );
    };
    const importModel = async (
      job: ITrainingJob,
      version: ITrainingVersion,
      deploy = false
    ) => {
      const output = await trainingApi.output(job.job_id, version.version_id);
      // A ModelArts model package is the folder that holds config.json.
      const config = output.files.find(f => f.path.endsWith('config.json'));
      if (deploy && !config) {
        // No package: the output comes into the file browser and deploys from there
        // like any model folder (one model file is offered a generated package, and
        // what cannot deploy says why in a dialog).
        const downloaded = await downloadOutput(job, version, trans, {
          title: trans.__(
            'Deploy the output of %1',
            job.job_name ?? String(job.job_id)
          ),
          reason: trans.__(
            'The output holds no model package (config.json): it is downloaded and deployed from the file browser.'
          )
        });
        if (downloaded) {
          await app.commands.execute(DEPLOY_COMMAND, { path: downloaded });
        }
        return;
      }
      const folder = config ? config.path.slice(0, -'config.json'.length) : '';
      const started = await importTrainingOutput(
        {
          source_location: `${output.train_url ?? ''}${folder}`,
          job_id: String(job.job_id),
          version_id: String(version.version_id),
          name: job.job_name ?? undefined,
          deploy
        },
        trans
      );
      if (started) {
        modelarts.showSidebar();
      }
    };
    const openOutput = async (job: ITrainingJob, version: ITrainingVersion) => {
      const folder = await downloadOutput(job, version, trans);
      if (folder) {
        await app.commands.execute('filebrowser:go-to-path', { path: folder });
      }
    };
    const report = (action: Promise<unknown>) =>
      action.catch(error =>
        Notification.error(describeError(error, trans), { autoClose: false })
      );
    const latest = (job: ITrainingJob) =>
      trainingApi.version(job.job_id, job.version_id ?? 0);
    /** A job and version from a command's arguments. */
    const jobOf = (args: any) =>
      [args.job as ITrainingJob, args.version as ITrainingVersion] as const;
    app.commands.addCommand(OPEN_OUTPUT_COMMAND, {
      label: trans.__('Open output'),
      caption: trans.__(
        "Download a training version's output into a folder and show it in the file browser"
      ),
      execute: args => report(openOutput(...jobOf(args)))
    });
    app.commands.addCommand(DEPLOY_OUTPUT_COMMAND, {
      label: trans.__('Deploy'),
      caption: trans.__(
        "Import a training version's output as a model and deploy it as a service"
      ),
      execute: args => report(importModel(...jobOf(args), true))
    });

    app.commands.addCommand(TRAIN_COMMAND, {
      label,
      caption: trans.__(
        'Upload the file and its folder to OBS and start a training job'
      ),
      icon: modelartsIcon,
      isEnabled: () => true,
      execute: async args => {
        const path = targetPath(app, args as { path?: unknown });
        if (!path || !TRAINABLE.test(path)) {
          Notification.warning(
            trans.__(
              'Open a Python file or a notebook to train it on ModelArts.'
            )
          );
          return;
        }
        const operation = await trainFromFile(path, trans, events);
        if (operation) {
          modelarts.showSidebar();
        }
      }
    });
    palette?.addItem({
      command: TRAIN_COMMAND,
      category: trans.__('ModelArts')
    });
    for (const type of ['python', 'notebook']) {
      app.contextMenu.addItem({
        command: TRAIN_COMMAND,
        selector: `.jp-DirListing-item[data-file-type="${type}"]`,
        rank: 60
      });
    }
    app.docRegistry.addWidgetExtension(
      'Notebook',
      new TrainButtonExtension(app, label)
    );
    app.docRegistry.addWidgetExtension(
      'Editor',
      new TrainButtonExtension(app, label)
    );

    app.commands.addCommand(CONFIGS_COMMAND, {
      label: trans.__('Training configurations'),
      caption: trans.__('Edit or delete saved training job configurations'),
      icon: modelartsIcon,
      execute: () =>
        showMainPanel(
          app,
          'jp-modelarts-training-configs',
          trans.__('Training configurations'),
          () => React.createElement(ConfigsManager, { trans })
        )
    });
    app.commands.addCommand(ALGORITHMS_COMMAND, {
      label: trans.__('Built-in algorithms'),
      caption: trans.__(
        'The built-in algorithms of ModelArts, with their descriptions and parameters'
      ),
      icon: modelartsIcon,
      execute: () =>
        showMainPanel(
          app,
          'jp-modelarts-algorithms',
          trans.__('Built-in algorithms'),
          () => React.createElement(Algorithms, { trans })
        )
    });
    for (const command of [CONFIGS_COMMAND, ALGORITHMS_COMMAND]) {
      palette?.addItem({ command, category: trans.__('ModelArts') });
    }

    const section = ReactWidget.create(
      React.createElement(JobsPanel, {
        events,
        trans,
        actions: {
          openLog: (job, version) =>
            openLog(
              job.job_id,
              version.version_id,
              logTitle(job.job_name, version.version_name),
              job.training_api
            ),
          importModel: (job, version) => void report(importModel(job, version)),
          openOutput: (job, version) =>
            void app.commands.execute(OPEN_OUTPUT_COMMAND, {
              job: job as any,
              version: version as any
            }),
          deployOutput: (job, version) =>
            void app.commands.execute(DEPLOY_OUTPUT_COMMAND, {
              job: job as any,
              version: version as any
            }),
          showConfigs: () => void app.commands.execute(CONFIGS_COMMAND),
          showAlgorithms: () => void app.commands.execute(ALGORITHMS_COMMAND)
        }
      })
    );
    section.title.label = trans.__('Training');
    modelarts.setSection('training', section);

    const notifier = new JobEndNotifier(events, trans, {
      showLog: job =>
        openLog(
          job.job_id,
          job.version_id ?? 0,
          logTitle(job.job_name, versionName(job.version_count ?? 1)),
          job.training_api
        ),
      importModel: job =>
        void report(latest(job).then(version => importModel(job, version)))
    });
    section.disposed.connect(() => notifier.dispose());
  }
};

export default plugin;
