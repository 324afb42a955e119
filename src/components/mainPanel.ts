import { JupyterFrontEnd } from '@jupyterlab/application';
import { MainAreaWidget } from '@jupyterlab/apputils';
import { ReactWidget } from '@jupyterlab/ui-components';

import { modelartsIcon } from '../icons';

/** Show a panel in the main area: the open one when there is one, else a new one. */
export function showMainPanel(
  app: JupyterFrontEnd,
  id: string,
  label: string,
  element: () => JSX.Element
): void {
  const open = [...app.shell.widgets('main')].find(w => w.id === id);
  if (open) {
    app.shell.activateById(id);
    return;
  }
  const panel = new MainAreaWidget({ content: ReactWidget.create(element()) });
  panel.id = id;
  panel.title.label = label;
  panel.title.icon = modelartsIcon;
  panel.title.closable = true;
  app.shell.add(panel, 'main');
}
