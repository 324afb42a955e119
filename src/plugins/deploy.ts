import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import {
  ICommandPalette,
  InputDialog,
  ReactWidget
} from '@jupyterlab/apputils';
import { Widget } from '@lumino/widgets';
import * as React from 'react';

import { IOperation } from '../deploy/api';
import {
  deployPath,
  deployToastKey,
  importTrainingOutput,
  ITrainingOutput
} from '../deploy/deployDialog';
import { Deployments } from '../deploy/Deployments';
import { Models } from '../deploy/Models';
import { Services } from '../deploy/Services';
import {
  describeProgress,
  operationToasts
} from '../components/operationToasts';
import { IModelArts } from '../tokens';
import { errorMessage } from '../errors';
import { operationTitle } from '../wording';

const DEPLOY = 'modelarts:deploy';
const IMPORT_TRAINING_OUTPUT = 'modelarts:import-training-output';
/** Suffixes of single model files the deploy command is offered for. */
const MODEL_SUFFIXES = [
  '.pkl',
  '.joblib',
  '.m',
  '.bst',
  '.model',
  '.ubj',
  '.pt',
  '.pth',
  '.onnx',
  '.h5',
  '.keras'
];

/** The part of the file browser widget the context menu command reads (no dependency on it). */
interface IBrowserLike extends Widget {
  selectedItems(): IterableIterator<{
    path: string;
    type: string;
    name: string;
  }>;
}

function selectedItem(app: JupyterFrontEnd) {
  for (const widget of app.shell.widgets('left')) {
    if (widget.id === 'filebrowser') {
      const first = (widget as IBrowserLike).selectedItems().next();
      return first.done ? null : first.value;
    }
  }
  return null;
}

function isModelItem(item: { type: string; name: string } | null): boolean {
  return (
    item !== null &&
    (item.type === 'directory' ||
      MODEL_SUFFIXES.some(suffix => item.name.toLowerCase().endsWith(suffix)))
  );
}

const plugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyterlab-modelarts:deploy',
  description:
    'Deploy a model from the file browser; the Models and Services sections.',
  autoStart: true,
  requires: [IModelArts],
  optional: [ICommandPalette],
  activate: (
    app: JupyterFrontEnd,
    modelarts: IModelArts,
    palette: ICommandPalette | null
  ) => {
    const { trans, events } = modelarts;

    const started = (operationId: string | null) => {
      if (operationId) {
        modelarts.showSidebar();
      }
    };

    app.commands.addCommand(DEPLOY, {
      label: trans.__('Deploy to ModelArts'),
      caption: trans.__('Upload, import and deploy a model folder or file'),
      // In the palette it always shows: it asks for the path when nothing fitting is selected.
      isVisible: args =>
        Boolean(args.isPalette) ||
        Boolean(args.path) ||
        isModelItem(selectedItem(app)),
      execute: async args => {
        const selected = selectedItem(app);
        let path =
          (args.path as string | undefined) ??
          (isModelItem(selected) ? selected?.path : undefined);
        if (path === undefined) {
          const answer = await InputDialog.getText({
            title: trans.__('Deploy to ModelArts'),
            label: trans.__('Model folder or file, relative to the server root')
          });
          path = answer.value ?? undefined;
        }
        if (path) {
          started(await deployPath(path, trans));
        }
      }
    });
    app.commands.addCommand(IMPORT_TRAINING_OUTPUT, {
      label: trans.__('Import as model'),
      caption: trans.__("Import a training version's output as a model"),
      execute: async args =>
        started(
          await importTrainingOutput(args as unknown as ITrainingOutput, trans)
        )
    });
    app.contextMenu.addItem({
      command: DEPLOY,
      selector: '.jp-DirListing-item[data-isdir]',
      rank: 60
    });
    palette?.addItem({
      command: DEPLOY,
      category: trans.__('ModelArts'),
      args: { isPalette: true }
    });

    const models = ReactWidget.create(
      React.createElement(Models, { events, trans })
    );
    models.addClass('jp-ModelArts-deploySection');
    modelarts.setSection('models', models);
    const services = ReactWidget.create(
      React.createElement(
        React.Fragment,
        null,
        React.createElement(Deployments, { events, trans }),
        React.createElement(Services, { events, trans })
      )
    );
    services.addClass('jp-ModelArts-deploySection');
    modelarts.setSection('services', services);

    // One toast per deployment: its progress when this tab started it, and
    // its end, whichever tab started it.
    const ended = new Set<string>();
    events.received.connect((_, event) => {
      const operation = event.data as IOperation;
      if (event.type !== 'operation' || operation.kind !== 'deploy') {
        return;
      }
      const key = deployToastKey(operation.id);
      if (operation.state === 'running') {
        ended.delete(operation.id);
        if (operationToasts.has(key)) {
          operationToasts.show(
            key,
            describeProgress(operation, trans),
            'in-progress',
            { autoClose: false }
          );
        }
        return;
      }
      if (ended.has(operation.id)) {
        return;
      }
      ended.add(operation.id);
      if (operation.state === 'succeeded') {
        operationToasts.show(
          key,
          operation.result?.service_name
            ? trans.__('Service %1 is running.', operation.result.service_name)
            : trans.__(
                'Model %1 is published.',
                operation.result?.model_name ?? ''
              ),
          'success',
          { autoClose: 8000 }
        );
      } else {
        operationToasts.show(
          key,
          trans.__(
            '%1 failed: %2',
            operationTitle(operation, trans),
            operation.error ? errorMessage(operation.error, trans) : ''
          ),
          'error',
          { autoClose: false }
        );
      }
    });
  }
};

export default plugin;
