/**
 * The `atlas` backend: MongoDB databases on MongoDB Atlas, for apps whose other parts run anywhere, through
 * `@pulumi/mongodbatlas`.
 *
 * - A project per stack in the configured organisation (`multicloud:atlas.orgId`), or an existing one (`projectId`),
 *   with the network access the config decides (`multicloud:atlas.access`, required: access.ts).
 * - Per database: a cluster of the tier the size and stack tier map to (development: M0 or Flex; production: M10 and
 *   up with cloud backups and termination protection), a generated password, and a user with `readWrite` on the
 *   app's database only; the link URL is `mongodb+srv://` with the credentials, a secret (`MONGODB_URL` by default).
 * - A class change Atlas cannot make in place (M0 or Flex to dedicated, or back) is refused with the steps.
 *
 * Credentials (the provider's own; this program never reads them): a service account as secret stack config
 * `mongodbatlas:clientId` / `mongodbatlas:clientSecret` (or `MONGODB_ATLAS_CLIENT_ID` / `MONGODB_ATLAS_CLIENT_SECRET`),
 * or an API key pair as `mongodbatlas:publicKey` / `mongodbatlas:privateKey` (or `MONGODB_ATLAS_PUBLIC_KEY` /
 * `MONGODB_ATLAS_PRIVATE_KEY` as Pulumi's page spells them; the upstream provider's guide spells them
 * `MONGODB_ATLAS_PUBLIC_API_KEY` / `MONGODB_ATLAS_PRIVATE_API_KEY`).
 */
import { SIZES } from "../../components/sizes";
import type { BackendDefinition, BackendInstance, StackInfo } from "../backend";
import { estimateAtlasCost } from "./cost";
import { deployDatabase } from "./database";
import { AtlasPlatform } from "./platform";
import { atlasDatabaseSettings, atlasStackSettings, none, type AtlasStackSettings } from "./settings";
import { validateAtlas } from "./validate";

export const atlasBackend: BackendDefinition = {
  name: "atlas",
  description: "MongoDB Atlas: a MongoDB cluster per database (M0/Flex on development, M10+ with backups on production)",
  // Only databases, only MongoDB: services, cron jobs and caches are refused naming the backends that run them.
  offers: { databases: { engines: ["mongodb"], sizes: SIZES } },
  settings: { stack: atlasStackSettings, service: none, cronJob: none, database: atlasDatabaseSettings, cache: none },
  validate: validateAtlas,
  estimateCost: estimateAtlasCost,

  create(stack: StackInfo, stackSettings: unknown): BackendInstance {
    const platform = new AtlasPlatform(stack, stackSettings as AtlasStackSettings);
    return { database: (spec, data, parent) => deployDatabase(platform, spec, data, parent) };
  },
};
