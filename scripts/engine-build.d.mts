export declare const ENGINE_ENTRIES: Record<string, string>;
export declare function buildEngine(root?: string): Promise<void>;
