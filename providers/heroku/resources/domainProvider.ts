// The dynamic provider behind `Domain`: a custom hostname on an app, with Automated Certificate Management.
import type * as pulumi from "@pulumi/pulumi";
import type { Domain as HerokuDomain } from "@heroku-cli/schema";
import { enableAcm } from "../api/apps";
import { createDomain, deleteDomain, findDomain } from "../api/domains";
import { inResourceContext, isNotFound, isUnprocessable, partialStateError } from "../api/errors";
import { UNKNOWN, appFailures, configureFromStackConfig, failure, plain, sameValue } from "./common";

/** Bump when the provider's behaviour changes in a way existing resources should be updated for. */
export const DOMAIN_PROVIDER_VERSION = "1";

/** Inputs of `Domain`, as the provider receives them after `check`. */
export interface DomainInputs {
  /** The Pulumi resource name, used in error messages. */
  resourceName: string;
  /** Behaviour version of the provider code. */
  providerVersion: string;
  /** App id (or name). */
  app: string;
  /** Full hostname, e.g. `api.example.com`. */
  hostname: string;
  /**
   * Turn on Automated Certificate Management for the app. Never turned off by this resource (it is app-wide).
   * @default true
   */
  acm: boolean;
}

/** What the state holds for a `Domain`. */
export interface DomainOutputs extends DomainInputs {
  /** DNS target: point a CNAME (or ALIAS/ANAME at the apex) for the hostname here. */
  cname: string;
  /** Heroku's domain status (`pending`, `succeeded`...). */
  status: string;
  /** ACM status when known; not waited for (certificates follow DNS, possibly hours later). */
  acmStatus: string;
  /** Whether ACM was turned on by this resource. */
  acmEnabled: boolean;
}

const KIND = "Domain";
const HOSTNAME = /^(?=.{1,253}$)(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

function outputsFrom(inputs: DomainInputs, domain: HerokuDomain, acmEnabled: boolean): DomainOutputs {
  return plain({
    ...inputs,
    cname: domain.cname ?? "",
    status: domain.status ?? "",
    acmStatus: domain.acm_status ?? "",
    acmEnabled,
  });
}

/** Adds the domain, or finds it when it is already on this app (an earlier attempt whose answer was lost). */
async function findOrCreate(inputs: DomainInputs): Promise<HerokuDomain> {
  try {
    return await createDomain(inputs.app, inputs.hostname);
  } catch (error) {
    if (!isUnprocessable(error)) throw error;
    const existing = await findDomain(inputs.app, inputs.hostname);
    if (!existing) throw error;
    return existing;
  }
}

/** The CRUD operations of `Domain`, as a serializable plain object. */
export const domainProvider: pulumi.dynamic.ResourceProvider<DomainInputs, DomainOutputs> = {
  configure: configureFromStackConfig,

  async check(_olds, news) {
    const failures = appFailures(news.app);
    const inputs: DomainInputs = { ...news, acm: news.acm ?? true };
    if (typeof news.hostname === "string" && news.hostname !== UNKNOWN) {
      inputs.hostname = news.hostname.trim().toLowerCase().replace(/\.$/, "");
      if (!HOSTNAME.test(inputs.hostname)) failures.push(failure("hostname", `"${news.hostname}" is not a hostname`));
    } else if (news.hostname !== UNKNOWN) {
      failures.push(failure("hostname", "a hostname is required, e.g. api.example.com"));
    }
    return { inputs, failures };
  },

  async diff(_id, olds, news) {
    const replaces = (["app", "hostname"] as const).filter((key) => !sameValue(olds[key], news[key]));
    const changes =
      replaces.length > 0 ||
      (news.acm && !olds.acmEnabled) ||
      !sameValue(olds.providerVersion, news.providerVersion);
    // A hostname exists once across Heroku: moving it to another app must remove it from the old one first.
    return { changes, replaces, deleteBeforeReplace: replaces.length > 0 && sameValue(olds.hostname, news.hostname) };
  },

  async create(inputs) {
    let domain: HerokuDomain;
    try {
      domain = await findOrCreate(inputs);
    } catch (error) {
      throw inResourceContext(KIND, inputs.resourceName, error);
    }
    const id = domain.id as string;
    if (!inputs.acm) return { id, outs: outputsFrom(inputs, domain, false) };
    try {
      await enableAcm(inputs.app);
    } catch (error) {
      // The domain exists: record it (with its DNS target), and let the next `pulumi up` retry ACM. ACM needs
      // the app to run on paid dynos, so declare the Domain after the Formation.
      throw partialStateError(KIND, inputs.resourceName, error, id, { ...outputsFrom(inputs, domain, false) });
    }
    return { id, outs: outputsFrom(inputs, domain, true) };
  },

  async update(id, olds, news) {
    try {
      const domain = await findDomain(news.app, id);
      if (!domain) throw new Error(`domain ${olds.hostname} no longer exists; run \`pulumi refresh\` to recreate it`);
      if (news.acm && !olds.acmEnabled) await enableAcm(news.app);
      return { outs: outputsFrom(news, domain, news.acm || olds.acmEnabled) };
    } catch (error) {
      throw inResourceContext(KIND, news.resourceName, error);
    }
  },

  async read(id, props) {
    const state = props as DomainOutputs;
    try {
      const domain = await findDomain(state.app, id);
      return domain ? { id, props: outputsFrom(state, domain, state.acmEnabled) } : {};
    } catch (error) {
      if (isNotFound(error)) return {};
      throw inResourceContext(KIND, state.resourceName ?? id, error);
    }
  },

  async delete(id, props) {
    try {
      await deleteDomain(props.app, id);
    } catch (error) {
      if (isNotFound(error)) return;
      throw inResourceContext(KIND, props.resourceName ?? id, error);
    }
  },
};
