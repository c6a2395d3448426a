import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rendererFile, rendererResponse } from '../../../main/electron/renderer-files';

const root = mkdtempSync(join(tmpdir(), 'wb-renderer-'));
mkdirSync(join(root, 'assets'));
writeFileSync(join(root, 'index.html'), '<!doctype html><title>x</title>');
writeFileSync(join(root, 'assets', 'app.js'), 'console.log(1)');

describe('serving the renderer under app://workbench/', () => {
  it("maps the app's URLs into the renderer folder, routes to index.html", () => {
    expect(rendererFile(root, 'app://workbench/assets/app.js')).toBe(join(root, 'assets', 'app.js'));
    expect(rendererFile(root, 'app://workbench/')).toBe(join(root, 'index.html'));
    expect(rendererFile(root, 'app://workbench/runs/3')).toBe(join(root, 'index.html'));
    expect(rendererFile(root, 'app://workbench/assets/app.js?v=2#x')).toBe(join(root, 'assets', 'app.js'));
  });

  it("refuses anything outside the folder or not the app's", () => {
    // The URL parser already resolves dot segments, so this one stays inside (a route: index.html).
    expect(rendererFile(root, 'app://workbench/%2e%2e/%2e%2e/etc/passwd')).toBe(join(root, 'index.html'));
    for (const url of [
      'app://workbench/..%2F..%2Fetc%2Fpasswd',
      'app://workbench/assets/..%2F..%2F..%2Fsecret.txt',
      'app://workbench/a%00.js',
      'app://other/index.html',
      'file:///etc/passwd',
      'app://workbench/%E0%A4%A',
    ]) {
      expect(rendererFile(root, url), url).toBeNull();
    }
  });

  it('answers with the file, its type and the Content-Security-Policy, or a 404', async () => {
    const ok = await rendererResponse(root, 'app://workbench/assets/app.js', "default-src 'none'");
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(ok.headers.get('content-security-policy')).toBe("default-src 'none'");
    expect(await ok.text()).toBe('console.log(1)');
    expect((await rendererResponse(root, 'app://workbench/assets/missing.js', 'x')).status).toBe(404);
    expect((await rendererResponse(root, 'app://workbench/..%2Fx.js', 'x')).status).toBe(404);
  });
});
