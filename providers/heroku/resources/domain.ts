import type * as pulumi from "@pulumi/pulumi";
import { DOMAIN_PROVIDER_VERSION } from "./domainProvider";
import { HerokuDynamicResource } from "./dynamicResource";

/** Arguments of {@link Domain}. */
export interface DomainArgs {
  /** The app's id (`App.id`). */
  app: pulumi.Input<string>;
  /** Full hostname, e.g. `api.example.com`. Changing it replaces the domain. */
  hostname: pulumi.Input<string>;
  /**
   * Turn on Automated Certificate Management for the app (needs paid dynos: declare the Domain after the
   * Formation). Not waited for: certificates are issued once DNS points at `cname`.
   * @default true
   */
  acm?: pulumi.Input<boolean>;
}

/** A custom domain on an app. Point the hostname's DNS at `cname`. */
export class Domain extends HerokuDynamicResource {
  /** DNS target (`*.herokudns.com`) for a CNAME/ALIAS record. */
  declare readonly cname: pulumi.Output<string>;
  /** The hostname, normalised to lower case. */
  declare readonly hostname: pulumi.Output<string>;
  /** Heroku's domain status. */
  declare readonly status: pulumi.Output<string>;
  /** ACM status when last read (informative only). */
  declare readonly acmStatus: pulumi.Output<string>;

  constructor(name: string, args: DomainArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      { file: "domainProvider", exportName: "domainProvider" },
      name,
      {
        resourceName: name,
        providerVersion: DOMAIN_PROVIDER_VERSION,
        app: args.app,
        hostname: args.hostname,
        acm: args.acm,
        cname: undefined,
        status: undefined,
        acmStatus: undefined,
        acmEnabled: undefined,
      },
      opts,
      "Domain",
    );
  }
}
