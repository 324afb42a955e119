import { TranslationBundle } from '@jupyterlab/translation';
import { CommandRegistry } from '@lumino/commands';
import { Menu } from '@lumino/widgets';
import * as React from 'react';

/** One action of a list row. */
export interface IRowAction {
  /** Visible label (already translated); also the button's `data-action`. */
  label: string;
  /** null: allowed; a text: why it is not allowed now (shown as the tooltip). */
  reason: string | null;
  run: () => void;
}

/**
 * The actions of a list row in a narrow sidebar: the few `primary` ones as
 * buttons, the others in a "..." menu (JupyterLab's own Lumino menu), so every
 * action stays reachable whatever the sidebar's width.
 */
export function RowActions(props: {
  primary: IRowAction[];
  secondary: IRowAction[];
  trans: TranslationBundle;
  className?: string;
}): JSX.Element {
  const { trans } = props;
  const more = React.useRef<HTMLButtonElement>(null);
  const openMenu = () => {
    const button = more.current;
    if (!button) {
      return;
    }
    const menu = actionMenu(props.secondary);
    const box = button.getBoundingClientRect();
    menu.aboutToClose.connect(() => {
      // Disposed after the click that closed it has run its command.
      requestAnimationFrame(() => menu.dispose());
      button.focus();
    });
    menu.open(box.left, box.bottom);
    // Lumino's menu items have no tooltip: give each the reason it is disabled, if any.
    Array.from(menu.contentNode.children).forEach((item, index) => {
      const action = props.secondary[index];
      (item as HTMLElement).title = action
        ? (action.reason ?? action.label)
        : '';
    });
  };
  return (
    <div className={`jp-ModelArts-rowActions ${props.className ?? ''}`}>
      {props.primary.map(action => (
        <button
          key={action.label}
          className="jp-mod-styled jp-ModelArts-action"
          disabled={action.reason !== null}
          title={action.reason ?? action.label}
          data-action={action.label}
          onClick={action.run}
        >
          {action.label}
        </button>
      ))}
      {props.secondary.length > 0 && (
        <button
          ref={more}
          className="jp-mod-styled jp-ModelArts-action jp-ModelArts-more"
          aria-haspopup="menu"
          aria-label={trans.__('More actions')}
          title={trans.__('More actions')}
          data-action="more"
          onClick={openMenu}
        >
          …
        </button>
      )}
    </div>
  );
}

/** A menu of the actions, disabled ones with their reason as the caption. */
export function actionMenu(actions: IRowAction[]): Menu {
  const commands = new CommandRegistry();
  const menu = new Menu({ commands });
  menu.addClass('jp-ModelArts-rowMenu');
  actions.forEach((action, index) => {
    const id = `row-action-${index}`;
    commands.addCommand(id, {
      label: action.label,
      caption: action.reason ?? '',
      isEnabled: () => action.reason === null,
      execute: action.run
    });
    menu.addItem({ command: id });
  });
  return menu;
}
