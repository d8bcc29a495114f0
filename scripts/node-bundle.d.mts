import type { BuildOptions } from 'esbuild';

export declare const NODE_ESM: BuildOptions;
export declare const NODE_ESM_EXTERNAL_PACKAGES: BuildOptions;
