// A worker thread starts from plain JavaScript: register the TypeScript loader, then the worker.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
