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
  trainingApi
} from '../training/api';
import { JobsPanel } from '../training/JobsPanel';
import { trainFromFile } from '../training/launch';
import { createLogViewer, logTitle, versionName } from '../training/LogViewer';
import { JobEndNotifier } from '../training/notifications';

export const TRAIN_COMMAND = 'modelarts:train';
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

    const openLog = (jobId: JobId, versionId: number, title: string) => {
      const id = `modelarts-log-${jobId}-${versionId}`;
      const open = [...app.shell.widgets('main')].find(w => w.id === id);
      if (open) {
        app.shell.activateById(id);
        return;
      }
      app.shell.add(createLogViewer(jobId, versionId, title, trans), 'main');
    };
    const importModel = async (
      job: ITrainingJob,
      version: ITrainingVersion
    ) => {
      const output = await trainingApi.output(job.job_id, version.version_id);
      // A ModelArts model package is the folder that holds config.json.
      const config = output.files.find(f => f.path.endsWith('config.json'));
      const folder = config ? config.path.slice(0, -'config.json'.length) : '';
      await importTrainingOutput(
        {
          source_location: `${output.train_url ?? ''}${folder}`,
          job_id: String(job.job_id),
          version_id: String(version.version_id),
          name: job.job_name ?? undefined
        },
        trans
      );
    };
    const report = (action: Promise<unknown>) =>
      action.catch(error =>
        Notification.error(describeError(error, trans), { autoClose: false })
      );
    const latest = (job: ITrainingJob) =>
      trainingApi.version(job.job_id, job.version_id ?? 0);

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

    const section = ReactWidget.create(
      React.createElement(JobsPanel, {
        events,
        trans,
        actions: {
          openLog: (job, version) =>
            openLog(
              job.job_id,
              version.version_id,
              logTitle(job.job_name, version.version_name)
            ),
          importModel: (job, version) => void report(importModel(job, version))
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
          logTitle(job.job_name, versionName(job.version_count ?? 1))
        ),
      importModel: job =>
        void report(latest(job).then(version => importModel(job, version)))
    });
    section.disposed.connect(() => notifier.dispose());
  }
};

export default plugin;
