/**
 * Heroku resources as Pulumi dynamic resources over the Platform API v3 (no Heroku Pulumi package exists).
 *
 * Credentials: the dynamic-provider host reads the API key at call time, from the secret stack config
 * `heroku:apiKey` when set, else from `HEROKU_API_KEY` in the environment of
 * `pulumi`. Never from the program, so the key is never serialized into the state. `HEROKU_API_URL` overrides
 * the API root and `HEROKU_REGISTRY_URL` the container registry's (tests point both at the emulator).
 *
 * Ids: `App` is identified by the app UUID; pass `app.id` as `app` to every other resource. `ConfigVars`,
 * `Formation` and `ContainerRelease` use the app id as their own id: several `ConfigVars` (or `Formation`s) may
 * share an app when they manage different keys (process types); declare one `ContainerRelease` per app.
 *
 * Design notes (credentials, retries, add-on serialization, partial state, secrets): ./README.md.
 */
export { App } from "./app";
export type { AppArgs } from "./app";
export { ConfigVars } from "./configVars";
export type { ConfigVarsArgs } from "./configVars";
export { Formation } from "./formation";
export type { FormationArgs, ProcessScale } from "./formation";
export { Addon } from "./addon";
export type { AddonArgs } from "./addon";
export { AddonAttachment } from "./addonAttachment";
export type { AddonAttachmentArgs } from "./addonAttachment";
export { Domain } from "./domain";
export type { DomainArgs } from "./domain";
export { LogDrain } from "./logDrain";
export type { LogDrainArgs } from "./logDrain";
export { ContainerRelease } from "./containerRelease";
export type { ContainerReleaseArgs } from "./containerRelease";
export { planChangeProblem, defaultAttachmentName } from "./addonPlans";
