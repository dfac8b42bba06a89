/**
 * The AWS backend: web services and cron jobs on ECS Fargate (one VPC, cluster and load balancer per stack, no NAT
 * gateway), postgres and mysql on RDS, valkey and redis on ElastiCache.
 */
import { SIZES } from "../../components/sizes";
import { EVICTION_POLICIES } from "../../components/spec";
import type { BackendDefinition, CacheSpec, DatabaseSpec } from "../backend";
import { createCache, cacheSettings, type CacheSettings } from "./cache";
import { AwsContext } from "./context";
import { createCronJob } from "./cronJob";
import { createDatabase, databaseSettings, type DatabaseSettings } from "./database";
import { createWebService } from "./service";
import { awsCronJobSettings, awsServiceSettings, awsStackSettings, parseSettings } from "./settings";
import { validateAwsApp } from "./validate";
import { CACHE_MAJORS } from "./cache-mode";
import { RDS_MAJORS } from "./database-versions";
import { estimateAwsMonthlyCost } from "./cost";

export { estimateAwsMonthlyCost, type CostEstimate, type CostLine } from "./cost";
export type { AwsWebServiceResult } from "./service";
export type { AwsCronJobSettings, AwsServiceSettings, AwsStackSettings } from "./settings";

export const awsBackend: BackendDefinition = {
  name: "aws",
  description: "AWS: ECS Fargate services and scheduled tasks behind one load balancer, RDS, ElastiCache",
  offers: {
    services: { sizes: SIZES, private: true, domains: true, autoscaling: true, release: true },
    cronJobs: { sizes: SIZES },
    databases: {
      engines: ["postgres", "mysql"],
      sizes: SIZES,
      // DocumentDB is not MongoDB (missing features, a higher floor price than Atlas Flex): not offered.
      advice: { mongodb: "For MongoDB, use MongoDB Atlas: `backend: atlas`, or `external` with your Atlas cluster's URL" },
      versions: RDS_MAJORS,
    },
    caches: { engines: ["valkey", "redis"], sizes: SIZES, evictionPolicies: EVICTION_POLICIES, versions: CACHE_MAJORS },
  },
  settings: {
    stack: awsStackSettings,
    service: awsServiceSettings,
    cronJob: awsCronJobSettings,
    database: databaseSettings,
    cache: cacheSettings,
  },
  validate: validateAwsApp,
  estimateCost: estimateAwsMonthlyCost,
  create(stack, stackSettings) {
    // Everything shared (network, cluster, load balancer, image builds) lives in the context, created on first use.
    const ctx = new AwsContext(stack, parseSettings(awsStackSettings, stackSettings));
    return {
      webService: (spec, inputs, parent) => createWebService(ctx, spec, inputs, parent),
      cronJob: (spec, inputs, parent) => createCronJob(ctx, spec, inputs, parent),
      database: (spec, data, parent) =>
        createDatabase(ctx.platform().network, spec as DatabaseSpec<DatabaseSettings>, data, parent, stack),
      cache: (spec, data, parent) => createCache(ctx.platform().network, spec as CacheSpec<CacheSettings>, data, parent, stack),
    };
  },
};
