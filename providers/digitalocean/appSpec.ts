/**
 * The spec of the stack's one App: every DigitalOcean web service of the stack, its release commands as
 * `PRE_DEPLOY` jobs, and the ingress. One App per stack because private services are reachable only from
 * components of the same App (internal ports); `digitalocean.App` owns the whole spec, so this is its only writer.
 * Field names: @pulumi/digitalocean 4.80.1 `types/input.d.ts` (AppSpec, AppSpecService, AppSpecJob,
 * AppSpecIngressRule); semantics: godo `apps.gen.go` (see CONFORMANCE.md).
 */
import type * as digitalocean from "@pulumi/digitalocean";
import type * as pulumi from "@pulumi/pulumi";
import type { WebServiceSpec } from "../backend";
import type { DigitaloceanServiceSettings } from "./settings";
import { instanceSize } from "./sizes";

type Spec = digitalocean.types.input.AppSpec;
type Service = digitalocean.types.input.AppSpecService;
type Job = digitalocean.types.input.AppSpecJob;
type Env = digitalocean.types.input.AppSpecServiceEnv;
type Rule = digitalocean.types.input.AppSpecIngressRule;

/** One web service, as its handler left it for the App. */
export interface ServiceEntry {
  spec: WebServiceSpec<DigitaloceanServiceSettings>;
  /** The DOCR repository and the pushed digest. */
  repository: string;
  digest: pulumi.Input<string>;
  /** Secret env (declared secrets and link URLs), by name: every value a Pulumi secret. */
  secretEnv: Record<string, pulumi.Input<string>>;
}

/** POSIX-quotes a command for `run_command` (App Platform runs it through a shell). */
export function shellJoin(command: readonly string[]): string {
  return command.map((a) => (/^[A-Za-z0-9_./:=@%+-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(" ");
}

/** The path a public service answers on at the App's default URL. */
export function routePath(entry: ServiceEntry, publicCount: number): string {
  return entry.spec.settings.routePath ?? (publicCount === 1 ? "/" : `/${entry.spec.name}`);
}

function envs(entry: ServiceEntry): Env[] {
  const plain = Object.entries(entry.spec.env).map(([key, value]) => ({ key, value, type: "GENERAL", scope: "RUN_TIME" }));
  const secret = Object.entries(entry.secretEnv).map(([key, value]) => ({ key, value, type: "SECRET", scope: "RUN_TIME" }));
  return [...plain, ...secret];
}

function image(entry: ServiceEntry) {
  return { registryType: "DOCR", repository: entry.repository, digest: entry.digest };
}

function service(entry: ServiceEntry): Service {
  const { spec } = entry;
  const autoscales = spec.scaling.max > spec.scaling.min;
  const size = instanceSize(spec.size, autoscales, spec.settings.instanceSizeSlug);
  return {
    name: spec.name,
    image: image(entry),
    ...(spec.command ? { runCommand: shellJoin(spec.command) } : {}),
    instanceSizeSlug: size.slug,
    ...(autoscales
      ? { autoscaling: { minInstanceCount: spec.scaling.min, maxInstanceCount: spec.scaling.max, metrics: { cpu: { percent: spec.scaling.cpuTarget } } } }
      : { instanceCount: spec.scaling.min }),
    // A public service listens on httpPort behind the App's ingress; a private one only on its internal port,
    // reachable as http://<name>:<port> from the App's other components.
    ...(spec.public ? { httpPort: spec.port } : { internalPorts: [spec.port] }),
    healthCheck: { httpPath: spec.healthCheck.path, periodSeconds: spec.healthCheck.intervalSeconds, port: spec.port },
    envs: envs(entry),
  };
}

function releaseJob(entry: ServiceEntry): Job {
  const { spec } = entry;
  return {
    name: `${spec.name.slice(0, 24)}-release`,
    kind: "PRE_DEPLOY",
    image: image(entry),
    runCommand: shellJoin(spec.release!),
    instanceSizeSlug: instanceSize(spec.size, false, spec.settings.instanceSizeSlug).slug,
    instanceCount: 1,
    envs: envs(entry),
  };
}

function ingressRules(entries: ServiceEntry[]): Rule[] {
  const publics = entries.filter((e) => e.spec.public);
  const byDomain: Rule[] = publics.flatMap((e) =>
    e.spec.domains.map((domain) => ({ match: { authority: { exact: domain }, path: { prefix: "/" } }, component: { name: e.spec.name } })),
  );
  // Longest prefix first, so that "/" never shadows "/api".
  const byPath: Rule[] = [...publics]
    .sort((a, b) => routePath(b, publics.length).length - routePath(a, publics.length).length)
    .map((e) => ({ match: { path: { prefix: routePath(e, publics.length) } }, component: { name: e.spec.name } }));
  return [...byDomain, ...byPath];
}

/** The whole App spec. */
export function buildAppSpec(name: string, region: string, entries: ServiceEntry[]): Spec {
  const domains = entries.flatMap((e) => e.spec.domains);
  const jobs = entries.filter((e) => e.spec.release).map(releaseJob);
  return {
    name,
    region,
    services: entries.map(service),
    ...(jobs.length ? { jobs } : {}),
    // ALIAS, never PRIMARY: the App's live URL stays its default ondigitalocean.app address.
    ...(domains.length ? { domainNames: domains.map((d) => ({ name: d, type: "ALIAS" })) } : {}),
    ingress: { rules: ingressRules(entries) },
  };
}

/** The App Platform region of a datacenter: `nyc3` -> `nyc`. */
export const appRegion = (datacenter: string) => datacenter.replace(/[0-9]+$/, "");
