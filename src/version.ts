// The tool version, read once from package.json so there is one place to bump it.
import { packageVersion } from './core/package-files.js';

export const TOOL_VERSION = packageVersion();

/**
 * The version of the JSON result's shape (src/model/schema.ts). Here, not beside the schemas:
 * the read stage stamps it and loads no zod (the thread that reads service logs has no use for it).
 */
export const SCHEMA_VERSION = 1 as const;
