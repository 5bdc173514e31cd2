export declare const REPO: string;
export declare const TEST_SECRETS: Record<string, string>;
export declare function stackConfig(stack: string, projectDir?: string): { config: Record<string, string>; secretKeys: string[] };
