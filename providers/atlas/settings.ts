/**
 * The Atlas backend's settings: `multicloud:atlas` (stack-wide: the project, the cloud and region, network access)
 * and `multicloud:databases.<name>.atlas`. Strict: a misspelt key is an error.
 */
import { z } from "zod";
import { oneOf, strictObject } from "../../stacks/zod-helpers";
import { accessSettings } from "./access";
import { ATLAS_TIERS } from "./tiers";

/** A 24-hex-digit Atlas id (organisations and projects). */
const atlasId = (what: string) =>
  z.string().regex(/^[a-f0-9]{24}$/, { error: (i) => `${JSON.stringify(i.input)} is not an Atlas ${what} id (24 lowercase hex digits)` });

export const CLOUD_PROVIDERS = ["AWS", "GCP", "AZURE"] as const;
export type CloudProvider = (typeof CLOUD_PROVIDERS)[number];

/** `multicloud:atlas` */
export const atlasStackSettings = strictObject({
  /**
   * The organisation in which the stack's project (`<appName>-<stack>`) is created. One of `orgId` and `projectId`.
   */
  orgId: atlasId("organization").optional(),
  /**
   * An existing project to create the clusters in, instead of a project per stack. The project itself is then not
   * managed (nor ever deleted) by the stack; its access list gets this stack's entries.
   */
  projectId: atlasId("project").optional(),
  /** The cloud the clusters run on. @default "AWS" */
  provider: oneOf(CLOUD_PROVIDERS).optional(),
  /**
   * The Atlas region name (`US_EAST_1`, `EU_WEST_1`, GCP `WESTERN_EUROPE`...). Changing it moves a dedicated
   * cluster (Atlas does it in place, with a rolling migration).
   * @default the stack's AWS region (`aws:region`, `eu-west-1` -> `EU_WEST_1`) when AWS is the provider, else `US_EAST_1` (where Heroku's `us` region runs)
   */
  region: z.string().regex(/^[A-Z][A-Z0-9_]*$/, { error: "must be an Atlas region name, e.g. US_EAST_1 or EU_WEST_1" }).optional(),
  /** Who may connect: required, see access.ts. */
  access: accessSettings.optional(),
});
export type AtlasStackSettings = z.infer<typeof atlasStackSettings>;

/** `multicloud:databases.<name>.atlas` */
export const atlasDatabaseSettings = strictObject({
  /**
   * The cluster tier, instead of the one the size and stack tier map to. Changes between dedicated tiers happen in
   * place; a change between classes (M0 or FLEX to dedicated, or back) is refused with the steps to take.
   * @default development: nano M0, micro FLEX; otherwise nano-small M10, medium M20, large M40, xlarge M50
   */
  tier: oneOf(ATLAS_TIERS).optional(),
  /**
   * The database the app's user may read and write (the URL's path).
   * @default the part's name
   */
  databaseName: z
    .string()
    .regex(/^[^/\\. "$*<>:|?]{1,63}$/, { error: 'must be a MongoDB database name: 1-63 characters, none of / \\ . " $ * < > : | ? or space' })
    .optional(),
});
export type AtlasDatabaseSettings = z.infer<typeof atlasDatabaseSettings>;

export const none = strictObject({});
