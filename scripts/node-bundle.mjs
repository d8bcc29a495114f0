// How our Node entry points are bundled, for the app's build, the engine's, and the builds the
// tests and benchmarks make: one ES module for Node 20 each.
export const NODE_ESM = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  logLevel: 'warning',
  // ESM output still meets CommonJS-only globals in a few dependencies' patterns.
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
};

/** The usual case: dependencies stay in node_modules, where the bundle finds them at run time. */
export const NODE_ESM_EXTERNAL_PACKAGES = { ...NODE_ESM, packages: 'external' };
