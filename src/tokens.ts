import { TranslationBundle } from '@jupyterlab/translation';
import { Token } from '@lumino/coreutils';
import { Widget } from '@lumino/widgets';

import { SectionId } from './components/Sidebar';
import { AccountModel } from './model/account';
import { ServerEvents } from './model/events';

/**
 * What the core plugin shares with the flow plugins (notebooks, training,
 * models, services): the account, the tab's one event stream, the sidebar.
 */
export interface IModelArts {
  readonly account: AccountModel;
  readonly events: ServerEvents;
  readonly trans: TranslationBundle;
  /** Fill a section of the sidebar with the flow's own widget. */
  setSection(id: SectionId, widget: Widget): void;
  /** Show the sidebar (e.g. after starting an operation). */
  showSidebar(): void;
}

export const IModelArts = new Token<IModelArts>(
  'jupyterlab-modelarts:IModelArts',
  'The ModelArts account, event stream and sidebar shared by the flow plugins.'
);
