import { LabIcon } from '@jupyterlab/ui-components';

const modelartsSvg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" width="16">
  <g class="jp-icon3" fill="#616161">
    <path d="M12 2 3 7v10l9 5 9-5V7l-9-5Zm0 2.3 6.8 3.8L12 11.9 5.2 8.1 12 4.3ZM5 9.8l6 3.4v6.5l-6-3.4V9.8Zm8 9.9v-6.5l6-3.4v6.5l-6 3.4Z"/>
  </g>
</svg>`;

export const modelartsIcon = new LabIcon({
  name: 'jupyterlab-modelarts:modelarts',
  svgstr: modelartsSvg
});
