/**
 * Where the clusters run when the config does not say: near the stack's other parts where that can be known.
 * - AWS: the stack's `aws:region` as an Atlas region name (`eu-west-1` -> `EU_WEST_1`: Atlas names AWS regions by
 *   their code, upper-cased with `_`; mongodb.com/docs/atlas/reference/amazon-aws).
 * - Otherwise the region of the stack's Heroku apps (`multicloud:heroku.region`): Heroku's `us` runs in AWS
 *   us-east-1 (Virginia) and `eu` in eu-west-1 (Dublin) (Heroku Dev Center, "Regions").
 * - Otherwise `US_EAST_1`, where Heroku's default region runs.
 * Other clouds' region names differ (GCP `WESTERN_EUROPE`, Azure `EUROPE_WEST`): with `provider: GCP` or `AZURE`
 * the region must be given (validate.ts).
 */
import * as pulumi from "@pulumi/pulumi";
import { NAMESPACE } from "../../stacks/schema";

const HEROKU_REGIONS: Readonly<Record<string, string>> = { us: "US_EAST_1", eu: "EU_WEST_1" };
export const FALLBACK_REGION = "US_EAST_1";

/** `eu-west-1` -> `EU_WEST_1`. */
export function atlasRegionOfAws(awsRegion: string): string {
  return awsRegion.trim().toUpperCase().replace(/-/g, "_");
}

/** The default AWS region for the clusters, and why, from the stack's config. */
export function defaultAwsRegion(): { region: string; because: string } {
  const aws = new pulumi.Config("aws").get("region");
  if (aws) return { region: atlasRegionOfAws(aws), because: `the stack's aws:region ${aws}` };
  const heroku = new pulumi.Config(NAMESPACE).getObject<{ region?: string }>("heroku")?.region;
  if (heroku && HEROKU_REGIONS[heroku]) return { region: HEROKU_REGIONS[heroku], because: `the stack's Heroku region "${heroku}"` };
  return { region: FALLBACK_REGION, because: "the default (Heroku's us region runs in AWS us-east-1)" };
}
