import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HEADER_PROFILES, renderSnippets, staleSnippets } from '../../nginx/render.js';
import { PUBLIC_ASSET_PREFIXES, SANDBOX_PAGE_PATH, SECURITY_HEADERS } from '../../shared/security-headers.js';
import {
  type NginxOptions,
  renderTemplate,
  requireNginx,
  templateVariables,
  testConfig,
  writeNginxPrefix,
} from './support/nginx.js';
import { selfSignedCertificate } from './support/tls.js';

const STATIC_ROOT = new URL('../../dist/client/', import.meta.url).pathname;
const prefixes: string[] = [];

async function renderedPrefix(options: NginxOptions): Promise<string> {
  const prefix = await mkdtemp(join(tmpdir(), 'code-collab-nginx-t-'));
  prefixes.push(prefix);
  await writeNginxPrefix(prefix, templateVariables(8080, options, 8443), options);
  return prefix;
}

/** server.conf's locations: match expression to body (the file has no nested blocks inside locations). */
async function serverLocations(): Promise<Map<string, string>> {
  const text = await readFile(new URL('../../nginx/code-collab/server.conf', import.meta.url), 'utf8');
  return new Map(
    [...text.matchAll(/^location ([^{]+?) \{\n([^}]*)\}/gm)].map((m) => [m[1] ?? '', m[2] ?? '']),
  );
}

/**
 * nginx's warnings, except that `listen ... http2` is deprecated from 1.25.1 on: its replacement,
 * `http2 on`, does not exist in the 1.22 of Debian 12, which the template supports.
 */
function warnings(output: string): string[] {
  return output
    .split('\n')
    .filter((line) => /\[(warn|alert|emerg)\]/.test(line))
    .filter((line) => !line.includes('"listen ... http2" directive is deprecated'));
}

afterEach(async () => {
  await Promise.all(prefixes.splice(0).map((prefix) => rm(prefix, { recursive: true, force: true })));
});

describe('nginx configuration', () => {
  it('has its security-header snippets rendered from the shared definition', () => {
    expect(staleSnippets(), 'run: node --import tsx nginx/render.ts').toEqual([]);
    const headers = renderSnippets().get('security-headers.conf') ?? '';
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
      expect(headers).toContain(`add_header ${name} "${value}" always;`);
    }
  });

  it('includes the security headers in every location that adds a header of its own', async () => {
    const locations = await serverLocations();
    const profileFiles = HEADER_PROFILES.map((profile) => `code-collab/${profile.file}`);
    const withOwnHeaders = [...locations].filter(([, body]) => body.includes('add_header'));
    expect(withOwnHeaders.length).toBeGreaterThan(5);
    for (const [match, body] of withOwnHeaders) {
      expect(
        profileFiles.some((file) => body.includes(`include ${file};`)),
        `location ${match}`,
      ).toBe(true);
    }
    for (const prefix of PUBLIC_ASSET_PREFIXES) {
      expect(locations.get(prefix)).toContain('include code-collab/public-asset-security-headers.conf;');
    }
    expect(locations.get(`= ${SANDBOX_PAGE_PATH}`)).toContain(
      'include code-collab/sandbox-security-headers.conf;',
    );
  });

  it('renders templates like envsubst with a variable list, leaving nginx variables alone', async () => {
    const template = await readFile(
      new URL('../../nginx/templates-tls/code-collab.conf.template', import.meta.url),
      'utf8',
    );
    const rendered = renderTemplate(
      template,
      templateVariables(
        80,
        { upstream: 'app:3000', staticRoot: '/srv', tls: { certificate: '/c', key: '/k' } },
        443,
      ),
    );
    expect(rendered).toContain('server app:3000;');
    expect(rendered).toContain('return 301 https://$host$request_uri;');
    expect(() => renderTemplate(template, {})).toThrow(/CODE_COLLAB_UPSTREAM/);
  });

  it('passes nginx -t as rendered for plain HTTP', async () => {
    requireNginx();
    const prefix = await renderedPrefix({ upstream: '127.0.0.1:3000', staticRoot: STATIC_ROOT });
    const output = await testConfig(prefix);
    expect(output).toContain('test is successful');
    expect(warnings(output)).toEqual([]);
  });

  it('passes nginx -t as rendered for HTTPS with a mounted certificate', async () => {
    requireNginx();
    const certDir = await mkdtemp(join(tmpdir(), 'code-collab-cert-'));
    prefixes.push(certDir);
    const tls = await selfSignedCertificate(certDir);
    const prefix = await renderedPrefix({ upstream: '127.0.0.1:3000', staticRoot: STATIC_ROOT, tls });
    const output = await testConfig(prefix);
    expect(output).toContain('test is successful');
    expect(warnings(output)).toEqual([]);
  });
});
