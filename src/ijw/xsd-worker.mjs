// The XSD check in a worker thread (see validateXsdInWorker in xsd.ts): plain JavaScript, because a worker does not
// inherit the TypeScript loader of the thread that starts it; it registers tsx itself and loads xsd.ts.
import { parentPort, workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { validateXsd } = await import('./xsd.ts');
let last = 0;
try {
  const result = await validateXsd(workerData.source, {
    ...workerData.opts,
    // progress at most every 4 MB: a message per chunk would cost more than it tells
    onBytes: workerData.progress ? (b) => { if (b - last >= 4 << 20) { last = b; parentPort.postMessage({ bytes: b }); } } : undefined,
  });
  parentPort.postMessage({ result });
} catch (e) {
  parentPort.postMessage({ error: { name: e?.name, code: e?.code, message: e?.message ?? String(e), line: e?.line, column: e?.column } });
}
