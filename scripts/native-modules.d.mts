export declare function nativePackages(root: string): string[];
