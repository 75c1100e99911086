import { existsSync } from 'node:fs';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Config } from '../config.js';

/**
 * The built client. Vite's hashed files under `/assets/` never change and are cached for a year;
 * `index.html` is revalidated every time so a deploy is picked up on the next load. `/s/<id>` is the app.
 */
const IMMUTABLE = 'public, max-age=31536000, immutable';
const NO_CACHE = 'no-cache';

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
  await app.register(fastifyStatic, {
    root: config.clientDir,
    prefix: '/',
    wildcard: true,
    index: ['index.html'],
    // Dotfiles and directory listings are never served.
    dotfiles: 'ignore',
    list: false,
    cacheControl: false,
    setHeaders: (reply: FastifyReply, path: string) => {
      const extension = path.slice(path.lastIndexOf('.'));
      const type = CONTENT_TYPES[extension];
      if (type !== undefined) reply.header('Content-Type', type);
      reply.header('Cache-Control', cacheControlFor(config.clientDir, path));
    },
  });

  app.get('/s/:id', (_request, reply) => reply.header('Cache-Control', NO_CACHE).sendFile('index.html'));
}

function cacheControlFor(root: string, path: string): string {
  const relative = path.slice(root.length).replaceAll('\\', '/');
  return relative.startsWith('/assets/') ? IMMUTABLE : NO_CACHE;
}
