import { Gettext } from '@jupyterlab/translation';
import { readFileSync } from 'fs';
import { join } from 'path';

const CATALOG = join(
  __dirname,
  '../../jupyterlab_modelarts/locale/zh_CN/LC_MESSAGES/jupyterlab_modelarts.json'
);

/** The product's messages in Simplified Chinese, as JupyterLab serves and loads them. */
export function chinese(): Gettext {
  const catalog = JSON.parse(readFileSync(CATALOG, 'utf-8'));
  const header = catalog[''];
  const bundle = new Gettext({
    domain: 'jupyterlab_modelarts',
    locale: 'zh-CN'
  });
  bundle.loadJSON(
    { ...catalog, '': { ...header, pluralForms: header.plural_forms } },
    'jupyterlab_modelarts'
  );
  return bundle;
}
