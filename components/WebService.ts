import * as pulumi from "@pulumi/pulumi";
import type { BackendInstance, DnsRecord, RunInputs, WebServiceSpec } from "../providers/backend";
import { componentOptions, missingHandler, TYPE_PREFIX } from "./component";
import type { Transform } from "./spec";

export interface WebServiceComponentArgs {
  /** The validated spec, every default applied (see `stacks/resolve.ts`). */
  spec: WebServiceSpec;
  /** Secrets and link URLs, as secret outputs. */
  inputs: RunInputs;
  /** The chosen backend's handlers for this stack. */
  backend: BackendInstance;
  transform?: Transform;
}

/** A long-running HTTP service on the backend the stack config picks. Knows no cloud. */
export class WebService extends pulumi.ComponentResource {
  /** The URL the service answers on: its first custom domain, the platform's URL, or a private URL. */
  readonly url: pulumi.Output<string>;
  readonly backend: string;
  /** The DNS records its custom domains need (empty without domains). */
  readonly dnsRecords: pulumi.Output<DnsRecord[]>;

  constructor(name: string, args: WebServiceComponentArgs, opts?: pulumi.ComponentResourceOptions) {
    super(`${TYPE_PREFIX}:WebService`, name, {}, componentOptions(opts, args.transform));
    if (!args.backend.webService) throw missingHandler(args.spec.backend, "web services");
    this.backend = args.spec.backend;
    const result = args.backend.webService(args.spec, args.inputs, this);
    this.url = result.url;
    this.dnsRecords = result.dnsRecords ?? pulumi.output([]);
    this.registerOutputs({ url: this.url, backend: this.backend, dnsRecords: this.dnsRecords });
  }
}
