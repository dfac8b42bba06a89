/**
 * Every backend the stack config may name. Adding a backend is one folder under `providers/` and one line here.
 */
import type { BackendDefinition } from "./backend";
import { atlasBackend } from "./atlas";
import { awsBackend } from "./aws";
import { digitaloceanBackend } from "./digitalocean";
import { externalBackend } from "./external";
import { herokuBackend } from "./heroku";

export const BACKENDS: readonly BackendDefinition[] = [awsBackend, herokuBackend, digitaloceanBackend, atlasBackend, externalBackend];
