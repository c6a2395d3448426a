// The built renderer served under the app's own scheme (app://workbench/)
// instead of file://: a file:// page could read any local file, and this
// way every response carries the Content-Security-Policy header. Plain Node
// code (no Electron import), so the tests can check the path handling.

import { readFile } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';

export const APP_SCHEME = 'app';
export const APP_HOST = 'workbench';
export const APP_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

const MIME: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * The file under `root` that `url` names, or null when the URL is not the
 * app's or would reach outside `root` (an encoded `..%2F` included). A path
 * without an extension is a route of the single-page app: index.html.
 */
export function rendererFile(root: string, url: string): string | null {
  let u: URL;
  let path: string;
  try {
    u = new URL(url);
    path = decodeURIComponent(u.pathname);
  } catch {
    return null;
  }
  if (u.protocol !== `${APP_SCHEME}:` || u.host !== APP_HOST || path.includes('\0')) return null;
  const base = resolve(root);
  const file = resolve(base, `.${path}`);
  if (file !== base && !file.startsWith(base + sep)) return null;
  if (file === base || extname(file) === '') return resolve(base, 'index.html');
  return file;
}

/** The response for one request: the file with its type and the policy, or a bare 404. */
export async function rendererResponse(root: string, url: string, csp: string): Promise<Response> {
  const file = rendererFile(root, url);
  if (file === null) return new Response('not found', { status: 404 });
  let body: Buffer;
  try {
    body = await readFile(file);
  } catch {
    return new Response('not found', { status: 404 });
  }
  return new Response(new Uint8Array(body), {
    status: 200,
    headers: {
      'content-type': MIME[extname(file).toLowerCase()] ?? 'application/octet-stream',
      'content-security-policy': csp,
      'x-content-type-options': 'nosniff',
    },
  });
}
