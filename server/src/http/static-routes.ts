import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Config } from '../config.js';

/**
 * The built client. Vite's hashed files under `/assets/` never change and are cached for a year;
 * `index.html` is revalidated every time so a deploy is picked up on the next load. `/s/<id>` is the app,
 * as `session.html` when the build has it: the same page with preload hints for the session's editor.
 * Compressed copies beside the files (`.br` from the build, `.gz` if someone made them) are sent to
 * browsers that accept them, with the type and caching of the original file.
 */
const IMMUTABLE = 'public, max-age=31536000, immutable';
const NO_CACHE = 'no-cache';
const SESSION_PAGE = 'session.html';
const COMPRESSED_COPY = /\.(?:br|gz)$/;

/** Types the `mime` table either lacks or names differently from what browsers require for these files. */
const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.wasm': 'application/wasm',
  '.mjs': 'text/javascript; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.zip': 'application/zip',
  '.json': 'application/json; charset=utf-8',
};

export async function registerStaticRoutes(app: FastifyInstance, config: Config): Promise<void> {
  if (!existsSync(config.clientDir)) {
    app.log.warn({ clientDir: config.clientDir }, 'client build not found; run `npm run build:client`');
  }
  // A scope of its own, so the type fix-up below applies to static files only.
  await app.register(async (scope) => {
    // Sending a compressed copy, the plugin sets its own idea of the type after `setHeaders`; ours wins.
    scope.addHook('onSend', async (request, reply, payload) => {
      const type = CONTENT_TYPES[extensionOf(request.url.split('?')[0] ?? '')];
      if (type !== undefined && reply.statusCode === 200) reply.header('Content-Type', type);
      return payload;
    });
    await scope.register(fastifyStatic, {
      root: config.clientDir,
      prefix: '/',
      wildcard: true,
      index: ['index.html'],
      // Dotfiles and directory listings are never served.
      dotfiles: 'ignore',
      list: false,
      cacheControl: false,
      preCompressed: true,
      setHeaders: (reply: FastifyReply, sentPath: string) => {
        reply.header(
          'Cache-Control',
          cacheControlFor(config.clientDir, sentPath.replace(COMPRESSED_COPY, '')),
        );
      },
    });
    const sessionPage = existsSync(join(config.clientDir, SESSION_PAGE)) ? SESSION_PAGE : 'index.html';
    scope.get('/s/:id', (_request, reply) => reply.header('Cache-Control', NO_CACHE).sendFile(sessionPage));
  });
}

function extensionOf(path: string): string {
  const dot = path.lastIndexOf('.');
  return dot > path.lastIndexOf('/') ? path.slice(dot) : '';
}

function cacheControlFor(root: string, path: string): string {
  const relative = path.slice(root.length).replaceAll('\\', '/');
  return relative.startsWith('/assets/') ? IMMUTABLE : NO_CACHE;
}
