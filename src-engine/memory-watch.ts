/**
 * An engine process started with ENGINE_MEMORY_LIMIT_MB (spawn.ts processLimits) stops itself
 * past that resident size: native memory (libvips, WebAssembly) is not bounded by the
 * JavaScript heap limit, and where the parent cannot read this process's memory (only Linux
 * has /proc) nobody else would stop it. The parent sees it gone mid-request:
 * `document_too_complex`.
 */
import { EXIT_OUT_OF_MEMORY } from './protocol';

export function watchOwnMemory(): void {
  const limitMb = Number(process.env.ENGINE_MEMORY_LIMIT_MB) || 0;
  if (limitMb <= 0) return;
  setInterval(() => {
    if (process.memoryUsage.rss() > limitMb * 1024 * 1024) process.exit(EXIT_OUT_OF_MEMORY);
  }, 100).unref();
}
