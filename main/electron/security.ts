// The desktop shell's security settings in one place (Electron's security
// checklist; docs/desktop.md lists how each item is met). Only types come from
// Electron here, so the tests can import this file and check the settings
// and the handlers' behaviour without an Electron binary.

import type { Session, WebContents, WebPreferences } from 'electron';

/**
 * The page's Content-Security-Policy: scripts, styles and everything else
 * only from the app itself; no eval, no inline script, no plugins, no
 * frames, no forms. Style attributes in markup stay allowed (they cannot
 * run code); inline <style> elements do not.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "style-src-attr 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "worker-src 'self'",
  "object-src 'none'",
  "frame-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * The policy for the renderer's dev server (`npm run dev` only): its client
 * injects <style> elements and keeps a WebSocket open for hot reload.
 */
export function devContentSecurityPolicy(devServerUrl: string): string {
  const ws = new URL(devServerUrl);
  ws.protocol = ws.protocol === 'https:' ? 'wss:' : 'ws:';
  return CONTENT_SECURITY_POLICY.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'").replace(
    "connect-src 'self'",
    `connect-src 'self' ${ws.origin}`,
  );
}

/** Every BrowserWindow of the app gets exactly these. */
export function webPreferences(preload: string): WebPreferences {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
  };
}

/** Same scheme and host (with port) as the app's own page; anything unparsable is foreign. */
export function isAppUrl(url: string, appUrl: string): boolean {
  try {
    const u = new URL(url);
    const app = new URL(appUrl);
    return u.protocol === app.protocol && u.host === app.host;
  } catch {
    return false;
  }
}

/** An IPC message is served only when it comes from a frame showing the app's own page. */
export function isTrustedSender(frame: { url: string } | null, appUrl: string): boolean {
  return frame !== null && isAppUrl(frame.url, appUrl);
}

/**
 * Navigation away from the app, new windows and <webview> are refused. The
 * app is one page; a link elsewhere never opens inside it.
 */
export function hardenContents(contents: WebContents, appUrl: string): void {
  const refuseForeign = (e: { preventDefault(): void; url: string }): void => {
    if (!isAppUrl(e.url, appUrl)) e.preventDefault();
  };
  contents.on('will-navigate', refuseForeign);
  contents.on('will-redirect', refuseForeign);
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-attach-webview', (e) => e.preventDefault());
}

/** The only permission the page may use: writing text to the clipboard ("copy config"). */
const ALLOWED_PERMISSIONS: ReadonlySet<string> = new Set(['clipboard-sanitized-write']);

export function isPermissionAllowed(permission: string, requestingUrl: string, appUrl: string): boolean {
  return ALLOWED_PERMISSIONS.has(permission) && isAppUrl(requestingUrl, appUrl);
}

/** Permission requests and checks: everything refused but the allowed list, and only for the app's page. */
export function hardenSession(session: Session, appUrl: string): void {
  session.setPermissionRequestHandler((contents, permission, callback) => {
    callback(isPermissionAllowed(permission, contents.getURL(), appUrl));
  });
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin) => isPermissionAllowed(permission, requestingOrigin, appUrl));
}
