/** The engine's one sharp, configured once for a short-lived process of its own. */
import { availableParallelism } from 'node:os';

type SharpModule = (typeof import('sharp'))['default'];
let sharpModule: SharpModule | undefined;

/** sharp is loaded on first use: a PDF-only request never pays for it. */
export async function loadSharp(): Promise<SharpModule> {
  if (!sharpModule) {
    const loaded = (await import('sharp')).default;
    // No cache: each request is a different file, and cached decodes would only hold memory.
    loaded.cache(false);
    // On glibc Linux sharp runs one libvips thread, against heap fragmentation in long-lived
    // servers; the engine is a short-lived process of its own, and a second thread decodes a
    // photo about a tenth faster.
    loaded.concurrency(Math.min(4, availableParallelism()));
    sharpModule = loaded;
  }
  return sharpModule;
}
