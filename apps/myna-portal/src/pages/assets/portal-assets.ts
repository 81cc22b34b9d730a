import { StaticAssets } from '@myna/platform';

/** The portal's own web assets: the files beside this one (the build copies them into dist/). */
export const PORTAL_ASSETS = new StaticAssets(__dirname, ['portal.css', 'login.js', 'portal.js', 'log-verify.js', 'favicon.svg']);
