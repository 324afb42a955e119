import { TranslationBundle } from '@jupyterlab/translation';
import { ReactWidget, SidePanel, UseSignal } from '@jupyterlab/ui-components';
import { AccordionPanel, Widget } from '@lumino/widgets';
import * as React from 'react';

import { AccountModel } from '../model/account';
import { AccountHeader } from './AccountHeader';
import { SectionSizer } from './sectionSizes';

/** The sections of the sidebar, in order. */
export type SectionId = 'notebooks' | 'training' | 'models' | 'services';
export const SECTION_IDS: SectionId[] = [
  'notebooks',
  'training',
  'models',
  'services'
];

/** What the sidebar asks the plugin to do. */
export interface ISidebarActions {
  refresh: () => void;
  signIn: () => void;
  signOut: (profile: string) => void;
  activate: (profile: string) => void;
  setWorkspace: (workspaceId: string) => void;
  manageWorkspaces: () => void;
}

class AccountHeaderWidget extends ReactWidget {
  constructor(
    private readonly model: AccountModel,
    private readonly trans: TranslationBundle,
    private readonly actions: ISidebarActions
  ) {
    super();
    this.addClass('jp-ModelArts-headerWidget');
  }

  protected render(): JSX.Element {
    return (
      <UseSignal signal={this.model.changed}>
        {() => (
          <AccountHeader
            state={this.model.state}
            profiles={this.model.profiles}
            workspaces={this.model.workspaces}
            trans={this.trans}
            onRefresh={this.actions.refresh}
            onSignIn={this.actions.signIn}
            onSignOut={this.actions.signOut}
            onActivate={this.actions.activate}
            onWorkspace={this.actions.setWorkspace}
            onManageWorkspaces={this.actions.manageWorkspaces}
          />
        )}
      </UseSignal>
    );
  }
}

/** A section nothing has filled yet: it says what will appear there. */
class EmptySection extends ReactWidget {
  constructor(private readonly message: string) {
    super();
  }

  protected render(): JSX.Element {
    return <p className="jp-ModelArts-empty">{this.message}</p>;
  }
}

/**
 * The ModelArts left-sidebar panel: the account header on top, then one
 * collapsible section per resource kind. Flows fill their section with
 * `setSection`.
 */
export class ModelArtsSidebar extends SidePanel {
  constructor(
    model: AccountModel,
    trans: TranslationBundle,
    actions: ISidebarActions
  ) {
    super();
    this.addClass('jp-ModelArts-sidebar');
    this.header.addWidget(new AccountHeaderWidget(model, trans, actions));
    const titles: Record<SectionId, [string, string]> = {
      notebooks: [
        trans.__('Notebooks'),
        trans.__(
          'Notebook instances of this account appear here, with their status and actions.'
        )
      ],
      training: [
        trans.__('Training'),
        trans.__(
          'Training jobs appear here. Start one with "Train on ModelArts" from a Python file or notebook.'
        )
      ],
      models: [
        trans.__('Models'),
        trans.__(
          'Imported models appear here. Right-click a model folder or file and choose "Deploy to ModelArts".'
        )
      ],
      services: [
        trans.__('Services'),
        trans.__(
          'Real-time services appear here, ready to test from the sidebar.'
        )
      ]
    };
    for (const id of SECTION_IDS) {
      const [title, message] = titles[id];
      this.addWidget(this._prepare(id, title, new EmptySection(message)));
    }
    this._sizer = new SectionSizer(this.content as AccordionPanel);
  }

  dispose(): void {
    this._sizer.dispose();
    super.dispose();
  }

  /** Put `widget` in the place of section `id`, keeping its title. */
  setSection(id: SectionId, widget: Widget): void {
    const index = SECTION_IDS.indexOf(id);
    const previous = this.widgets[index];
    this.insertWidget(index, this._prepare(id, previous.title.label, widget));
    previous.dispose();
    this._sizer.observe();
  }

  private _prepare(id: SectionId, title: string, widget: Widget): Widget {
    widget.id = `jp-modelarts-section-${id}`;
    widget.title.label = title;
    widget.addClass('jp-ModelArts-section');
    widget.node.dataset.section = id;
    return widget;
  }

  private readonly _sizer: SectionSizer;
}
