// The tool version, read once from package.json so there is one place to bump it.
import { packageVersion } from './core/package-files.js';

export const TOOL_VERSION = packageVersion();
