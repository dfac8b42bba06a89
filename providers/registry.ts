/**
 * Every backend the stack config may name. Adding a backend is one folder under `providers/` and one line here.
 */
import type { BackendDefinition } from "./backend";
import { externalBackend } from "./external";

export const BACKENDS: readonly BackendDefinition[] = [externalBackend];
