export interface SigningLine {
  platform: string;
  ok: boolean;
  text: string;
}
export declare function targetPlatforms(args: string[], hostPlatform?: string): string[];
export declare function signingReport(platforms: string[], env: Record<string, string | undefined>): SigningLine[];
export declare function electronCacheDir(env: Record<string, string | undefined>, platform?: string): string;
export declare function electronCached(cacheDir: string, version: string, platform: string): boolean;
export declare function electronArchiveUrl(env: Record<string, string | undefined>, version: string, platform: string, arch: string): string;
