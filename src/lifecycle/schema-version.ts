// Schema versions as the Druid code defines them (src/proto): the content hash of the buf-built descriptor
// set, stored as schemas/<version>.binpb. Lifecycle code asks here and nowhere else.
import { MapstackError } from "../dsl/diagnostics";
import { buildDescriptorSet } from "../proto/descriptor-set";
import { listCommittedVersions, loadCommittedSet, protoDirOf } from "../proto/store";
import type { StackSettings } from "../settings/stack-settings";

/** The version dsl/proto builds to now (null when the DSL has no proto directory). */
export function builtSchemaVersion(projectDir: string, settings: StackSettings): string | null {
  const dir = protoDirOf(projectDir, settings);
  try {
    return buildDescriptorSet(dir).version;
  } catch (e) {
    if (/proto directory not found/.test((e as Error).message)) return null;
    throw e;
  }
}

/**
 * The full version id of a descriptor set committed under schemas/ (a unique prefix is accepted), or a
 * MapstackError naming what is stored: a stack can only be pinned to a set the program can load.
 */
export function storedSchemaVersion(projectDir: string, version: string, why: string): string {
  return loadCommittedSet(projectDir, version, why).version;
}

export function storedSchemaVersions(projectDir: string): string[] {
  return listCommittedVersions(projectDir);
}

export function requireStored(projectDir: string, version: string, stack: string): string {
  try {
    return storedSchemaVersion(projectDir, version, `schema version for ${stack}`);
  } catch (e) {
    throw new MapstackError(`${(e as Error).message}\n(run 'mapstack schemas build' and commit schemas/ so every stack can load the version it pins)`);
  }
}
