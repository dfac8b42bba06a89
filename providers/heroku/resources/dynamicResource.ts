// The base of the Heroku resource classes: what `pulumi.dynamic.Resource` registers (type
// `pulumi-nodejs:dynamic/heroku:<Type>`, the inputs plus `__provider`), with the provider text built by
// ./providerText.ts instead of Pulumi's closure serializer (see there for why).
import * as pulumi from "@pulumi/pulumi";
import { providerEntry, providerText } from "./providerText";

/** Which provider object a resource uses: the file in this folder that exports it, and the export's name. */
export interface HerokuProviderRef {
  /** File name in providers/heroku/resources, without `.ts`, e.g. `appProvider`. */
  file: string;
  /** Name of the exported provider object, e.g. `appProvider`. */
  exportName: string;
}

/**
 * A Heroku dynamic resource. The type token is the one `pulumi.dynamic.Resource` gives for module `heroku` (so
 * existing stacks keep their URNs), and the dynamic-provider host runs `__provider` as it would a serialized one.
 */
export abstract class HerokuDynamicResource extends pulumi.CustomResource {
  constructor(provider: HerokuProviderRef, name: string, props: pulumi.Inputs, opts: pulumi.CustomResourceOptions | undefined, type: string) {
    if ("__provider" in props) throw new Error("A dynamic resource must not define the __provider key");
    const text = providerText(providerEntry(provider.file), provider.exportName);
    super(`pulumi-nodejs:dynamic/heroku:${type}`, name, { ...props, __provider: text }, opts);
  }
}
