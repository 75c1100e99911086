/**
 * Monaco's editor core, with the workers it needs. Everything that imports Monaco goes through here (or
 * through `monaco.ts`, which adds the features and languages) so the environment is set before any model
 * exists: Monaco asks for its worker as soon as one is created.
 */
import * as monaco from 'monaco-editor/editor/editor.api';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';

declare global {
  interface Window {
    MonacoEnvironment?: monaco.Environment;
  }
}

self.MonacoEnvironment = {
  getWorker(): Worker {
    return new EditorWorker();
  },
};

export { monaco };
