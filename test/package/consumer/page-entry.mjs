// The browser page's script, bundled with the published ESM build: the configuration comes in the URL's fragment.
import { smoke } from './smoke.mjs';

const config = JSON.parse(decodeURIComponent(location.hash.slice(1)));
smoke(config).then(
  (result) => {
    window.__result = result;
  },
  (error) => {
    window.__error = String(error?.stack ?? error);
  },
);
