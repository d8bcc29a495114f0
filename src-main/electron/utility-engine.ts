/**
 * The document engine's worker as an Electron utilityProcess. The packaged app has the
 * RunAsNode fuse off, which breaks child_process.fork (it relies on ELECTRON_RUN_AS_NODE);
 * utilityProcess is Electron's own way to run a Node child. The worker script already speaks
 * its `process.parentPort`.
 */
import { app, utilityProcess } from 'electron';
import type { SpawnOptions, WorkerHandle } from '../../src-engine';

export function spawnUtilityWorker(options: SpawnOptions): WorkerHandle {
  // Same split as the fork: the JavaScript heap gets a share, native memory is watched.
  const heapMb = Math.max(128, Math.floor(options.memoryLimitMb / 2));
  const child = utilityProcess.fork(options.script, [], {
    serviceName: 'Assistant Dépôt (documents)',
    stdio: 'ignore',
    execArgv: [`--max-old-space-size=${heapMb}`],
    env: { ...process.env, ENGINE_MEMORY_LIMIT_MB: String(options.memoryLimitMb), VIPS_WARNING: '0' },
  });
  let exited = false;
  return {
    // Structured clone copies the buffers: utilityProcess transfers only message ports.
    send: (message) => {
      if (!exited) child.postMessage(message);
    },
    onMessage: (listener) => {
      child.on('message', listener);
    },
    onExit: (listener) => {
      child.on('exit', (code: number) => {
        exited = true;
        listener(code, null);
      });
    },
    kill: () => {
      child.kill();
    },
    residentBytes: () => {
      const pid = child.pid;
      if (pid === undefined) return undefined;
      // Electron reports every process it started, on every platform (working set in KiB).
      const metric = app.getAppMetrics().find((m) => m.pid === pid);
      return metric ? metric.memory.workingSetSize * 1024 : undefined;
    },
  };
}
