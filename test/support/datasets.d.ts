export declare function copyProject(opts?: { datasets?: number }): string;
export declare function renameDataset(dir: string, from: string, to: string): void;
export declare function bumpElasticsearchVersion(dir: string, dataset: string): void;
export declare function removeDataset(dir: string, dataset: string): void;
