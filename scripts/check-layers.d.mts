/** The layers, lowest first: a package may import packages of lower layers only. */
export declare const LAYERS: { name: string; packages: string[] }[];
/** The problems of the workspace at `root`, one sentence each (empty: all is well). */
export declare function checkLayers(root: string): string[];
/** `@scope/name/sub` → `@scope/name`; null for relative, builtin, `#` and URL specifiers. */
export declare function packageOf(specifier: string): string | null;
