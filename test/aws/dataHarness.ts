/**
 * Runs one AWS data part (`createDatabase`, `createCache`) under Pulumi's mock runtime: the real @pulumi/aws classes
 * register against a recorder, and a transformation on a parent component records each child's resource options
 * (retainOnDelete, protect, ignoreChanges) as the part passed them.
 *
 * Lighter than `recordResources` (../support/mocks) on purpose: a data part is called directly with a
 * parent, a network and data options, so there is no stack to run, and a child is found by its logical name alone.
 *
 * `pulumi.runtime.setMocks` is process-wide: call {@link deployDataPart} from hooks or tests, one after another,
 * never concurrently and never at collection time.
 */
import assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { specialSecretSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";
import type { ConnectionResult, DataOptions, StackInfo } from "../../providers/backend";
import type { AwsNetwork } from "../../providers/aws/types";

/** One resource registered under the parent. */
export interface Child {
  /** The type token, e.g. `aws:rds/instance:Instance`. */
  type: string;
  /** The inputs the engine received (secrets in wire form, see {@link secret}); empty until registered. */
  inputs: Record<string, unknown>;
  /** The resource options the part passed. */
  opts: pulumi.CustomResourceOptions;
}

/** The value of an output once it resolves. */
export function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply((v) => resolve(v)));
}

/** A value in the wire form the engine receives for a secret. */
export const secret = (value: unknown) => ({ [specialSigKey]: specialSecretSig, value });

/** A test stack of the given tier: `prod` for production, `staging` otherwise. */
export function stackOf(tier: StackInfo["tier"]): StackInfo {
  return { project: "multicloud", stack: tier === "production" ? "prod" : "staging", tier, appName: "sample", projectDir: "/tmp" };
}

/** Arguments of {@link deployDataPart}. */
export interface DataPartRun {
  tier: StackInfo["tier"];
  /** Deploy as the copy a move leaves behind (`ignoreChanges: ["*"]`). @default false */
  frozen?: boolean;
  /** The password every `random:index/randomPassword:RandomPassword` resolves to. */
  password: string;
  /** Outputs the mock adds by resource type (e.g. an endpoint address), over the inputs. @default {} */
  outputsByType?: Record<string, Record<string, unknown>>;
  /** Calls the part under test. */
  create(net: AwsNetwork, data: DataOptions, parent: pulumi.ComponentResource, stack: StackInfo): ConnectionResult;
}

/**
 * Runs `run.create` under mocks with a two-AZ network and the tier's data options (retained always, protected on
 * production); returns the children by logical name (the parent included, as "parent"), finders, the URL and
 * whether it is secret. A resource's mock state is its inputs, a `name` of `<logical name>-physical` unless given,
 * and the outputs of its type.
 */
export async function deployDataPart(run: DataPartRun) {
  const children = new Map<string, Child>();
  const registered: pulumi.Resource[] = [];
  const outputsByType: Record<string, Record<string, unknown>> = {
    ...run.outputsByType,
    "random:index/randomPassword:RandomPassword": { result: run.password },
  };
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        const inputs = args.inputs as Record<string, unknown>;
        const entry = children.get(args.name);
        if (entry) entry.inputs = inputs;
        const state: Record<string, unknown> = { ...inputs, name: inputs.name ?? `${args.name}-physical`, ...outputsByType[args.type] };
        return { id: `${args.name}-id`, state };
      },
      call: () => ({}),
    },
    "multicloud",
    "test",
    false,
  );
  const parent = new pulumi.ComponentResource("test:index:Parent", "parent", {}, {
    transformations: [
      (args) => {
        children.set(args.name, { type: args.type, inputs: {}, opts: args.opts as pulumi.CustomResourceOptions });
        registered.push(args.resource);
        return undefined;
      },
    ],
  });
  const net: AwsNetwork = {
    vpcId: pulumi.output("vpc-1"),
    publicSubnetIds: [pulumi.output("public-a"), pulumi.output("public-b")],
    isolatedSubnetIds: [pulumi.output("isolated-a"), pulumi.output("isolated-b")],
    appSecurityGroupId: pulumi.output("sg-app"),
  };
  const data: DataOptions = { retainOnDelete: true, protect: run.tier === "production", ...(run.frozen ? { ignoreChanges: ["*"] } : {}) };
  const { url } = run.create(net, data, parent, stackOf(run.tier));
  const value = await valueOf(url);
  await Promise.all(registered.map((r) => valueOf(r.urn)));
  const child = (name: string, type: string): Child => {
    const found = children.get(name);
    assert.ok(found, `no child named ${name}; children: ${[...children.keys()].join(", ")}`);
    assert.equal(found.type, type);
    return found;
  };
  const ofType = (type: string) => [...children.values()].filter((c) => c.type === type);
  return { children, child, ofType, url: value, urlIsSecret: await pulumi.isSecret(url) };
}

/** What {@link deployDataPart} returns. */
export type DeployedDataPart = Awaited<ReturnType<typeof deployDataPart>>;
