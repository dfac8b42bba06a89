/**
 * One Atlas cluster per database, through `mongodbatlas.AdvancedCluster` for all three classes (the provider's
 * recommended resource; `mongodbatlas.Cluster` is deprecated):
 * - M0: `providerName: "TENANT"`, the cloud in `backingProviderName`, `electableSpecs.instanceSize: "M0"`;
 * - Flex: `providerName: "FLEX"`, the cloud in `backingProviderName`, no specs;
 * - dedicated: `providerName` the cloud, `electableSpecs {instanceSize, nodeCount: 3}`, disk auto-scaling on.
 * A single replica-set region of priority 7 (the highest; the provider requires it of the first region).
 *
 * Class changes. The provider would turn a change of `providerName` from TENANT or FLEX to a cloud into Atlas's
 * tenant/Flex upgrade (terraform-provider-mongodbatlas examples/mongodbatlas_advanced_cluster/flex-upgrade), which
 * migrates the data with minutes of downtime and no way back; Atlas cannot go from dedicated back to M0 or Flex at
 * all. So before the cluster is touched, the program lists the project's clusters (`getAdvancedClusters`) and refuses
 * a class change with the steps to take: the person decides when the data moves.
 */
import * as mongodbatlas from "@pulumi/mongodbatlas";
import type * as inputs from "@pulumi/mongodbatlas/types/input";
import type * as pulumi from "@pulumi/pulumi";
import { NAMESPACE } from "../../stacks/schema";
import type { CloudProvider } from "./settings";
import { tierClass, type AtlasTier, type TierClass } from "./tiers";

type RegionConfig = inputs.AdvancedClusterReplicationSpecRegionConfig;

/** The region config of a cluster of this tier. */
export function regionConfig(tier: AtlasTier, provider: CloudProvider, region: string): RegionConfig {
  switch (tierClass(tier)) {
    case "free":
      return { providerName: "TENANT", backingProviderName: provider, regionName: region, priority: 7, electableSpecs: { instanceSize: "M0" } };
    case "flex":
      return { providerName: "FLEX", backingProviderName: provider, regionName: region, priority: 7 };
    default:
      return {
        providerName: provider,
        regionName: region,
        priority: 7,
        electableSpecs: { instanceSize: tier, nodeCount: 3 },
        // Storage grows with the data instead of failing writes; compute stays the configured tier (its price).
        autoScaling: { diskGbEnabled: true },
      };
  }
}

/** The class of a cluster Atlas reports (`TENANT`, `FLEX`, or a cloud). */
export function classOfProviderName(providerName: string | undefined): TierClass {
  return providerName === "TENANT" ? "free" : providerName === "FLEX" ? "flex" : "dedicated";
}

const CLASS_PHRASE: Record<TierClass, string> = { free: "the free M0", flex: "Flex", dedicated: "dedicated (M10 and up)" };

/** The error for a change of class Atlas cannot make in place, with what to do instead. */
export function classChangeError(part: string, cluster: string, from: TierClass, to: AtlasTier): Error {
  const key = `${NAMESPACE}:databases.${part}.atlas.tier`;
  const toClass = tierClass(to);
  const steps =
    from !== "dedicated" && toClass === "dedicated" || from === "free" && toClass === "flex"
      ? `Atlas upgrades it only by migrating the data (minutes without writes, and no way back), which this program never starts on its own. ` +
        `To upgrade: 1. back up: mongodump --uri "$MONGODB_URL" --archive=${part}.archive; 2. upgrade the cluster in the Atlas UI (Edit configuration) ` +
        `or with the Admin API's tenant/Flex upgrade; 3. run \`pulumi refresh\`, then \`pulumi up\` with ${key}: ${to}.`
      : `Atlas cannot turn a ${CLASS_PHRASE[from]} cluster into ${CLASS_PHRASE[toClass]}: add a new database part on the tier you want, ` +
        `copy the data (mongodump --uri "$OLD_URL" --archive | mongorestore --uri "$NEW_URL" --archive), then point the links at it.`;
  return new Error(
    `multicloud: databases.${part}: the Atlas cluster "${cluster}" is ${CLASS_PHRASE[from]}, and the config now asks for ${to} (${CLASS_PHRASE[toClass]}). ` +
      `${steps} Or keep it as it is: set ${key} to a tier of its class.`,
  );
}

/**
 * The replication specs of the cluster, once the project's existing cluster of that name (if any) is known to be of
 * the same class; rejects otherwise, so the cluster is never updated across classes.
 */
export function guardedReplicationSpecs(
  part: string,
  projectId: pulumi.Output<string>,
  cluster: string,
  tier: AtlasTier,
  config: RegionConfig,
  parent: pulumi.Resource,
): pulumi.Output<inputs.AdvancedClusterReplicationSpec[]> {
  return projectId.apply(async (id) => {
    const listed = await mongodbatlas.getAdvancedClusters({ projectId: id }, { parent });
    const existing = (listed.results ?? []).find((c) => c.name === cluster);
    const current = existing?.replicationSpecs?.[0]?.regionConfigs?.[0]?.providerName;
    if (current !== undefined && classOfProviderName(current) !== tierClass(tier)) {
      throw classChangeError(part, cluster, classOfProviderName(current), tier);
    }
    return [{ regionConfigs: [config] }];
  });
}
