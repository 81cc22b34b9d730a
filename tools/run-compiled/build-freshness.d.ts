// Types of build-freshness.js, for the tests that import it.
export declare const STAMP_FILE: string;
export declare function sourceFiles(root: string): string[];
export declare function assetFiles(root: string): string[];
export declare function copyAssets(root: string, outDir: string): void;
export declare function sourcesFingerprint(root: string): string;
export declare function builtFingerprint(root: string): string | undefined;
export declare function recordBuild(root: string, fingerprint: string): void;
export declare function forgetBuild(root: string): void;
