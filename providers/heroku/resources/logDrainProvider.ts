// The dynamic provider behind `LogDrain`: ships the app's logs to a syslog/HTTPS endpoint.
import type * as pulumi from "@pulumi/pulumi";
import type { LogDrain as HerokuLogDrain } from "@heroku-cli/schema";
import { inResourceContext, isNotFound, isUnprocessable } from "../api/errors";
import { createLogDrain, deleteLogDrain, findLogDrain, listLogDrains } from "../api/logDrains";
import { UNKNOWN, appFailures, configureFromStackConfig, failure, plain, reveal, sameValue, secretOutput } from "./common";
import type { WireSecret } from "./common";

/** Bump when the provider's behaviour changes in a way existing resources should be updated for. */
export const LOG_DRAIN_PROVIDER_VERSION = "1";

/** Inputs of `LogDrain`, as the provider receives them. */
export interface LogDrainInputs {
  /** The Pulumi resource name, used in error messages. */
  resourceName: string;
  /** Behaviour version of the provider code. */
  providerVersion: string;
  /** App id (or name). */
  app: string;
  /** Drain URL (`syslog+tls://...` or `https://...`); often embeds a token, so it is kept secret. Immutable. */
  url: string;
}

/** What the state holds for a `LogDrain`. */
export interface LogDrainOutputs extends Omit<LogDrainInputs, "url"> {
  /** The drain URL, as a secret. */
  url: WireSecret<string> | string;
  /** Heroku's drain token (`d.<uuid>`), the identifier log lines carry. */
  token: string;
}

const KIND = "LogDrain";

function outputsFrom(inputs: LogDrainInputs, drain: HerokuLogDrain): LogDrainOutputs {
  return plain({ ...inputs, url: secretOutput(reveal(inputs.url)), token: drain.token ?? "" });
}

/** The CRUD operations of `LogDrain`, as a serializable plain object. */
export const logDrainProvider: pulumi.dynamic.ResourceProvider<LogDrainInputs, LogDrainOutputs> = {
  configure: configureFromStackConfig,

  async check(_olds, news) {
    const failures = appFailures(news.app);
    const url: unknown = reveal(news.url);
    if (url !== UNKNOWN && !(typeof url === "string" && /^(syslog|syslog\+tls|https?):\/\/\S+$/.test(url))) {
      // Never echo the URL: it may carry a token.
      failures.push(failure("url", "must be a syslog://, syslog+tls:// or https:// URL"));
    }
    return { inputs: news, failures };
  },

  async diff(_id, olds, news) {
    // Heroku cannot change a drain's URL: a new URL is a new drain.
    const replaces = (["app", "url"] as const).filter((key) => !sameValue(olds[key], news[key]));
    return {
      changes: replaces.length > 0 || !sameValue(olds.providerVersion, news.providerVersion),
      replaces,
    };
  },

  async create(inputs) {
    const url = reveal(inputs.url);
    try {
      let drain: HerokuLogDrain;
      try {
        drain = await createLogDrain(inputs.app, url);
      } catch (error) {
        // "Url has already been taken": this app already drains there (an earlier attempt): adopt it.
        if (!isUnprocessable(error)) throw error;
        const existing = (await listLogDrains(inputs.app)).find((d) => d.url === url);
        if (!existing) throw error;
        drain = existing;
      }
      return { id: drain.id as string, outs: outputsFrom(inputs, drain) };
    } catch (error) {
      throw inResourceContext(KIND, inputs.resourceName, error);
    }
  },

  async update(id, _olds, news) {
    try {
      const drain = await findLogDrain(news.app, id);
      if (!drain) throw new Error(`log drain ${id} no longer exists; run \`pulumi refresh\` to recreate it`);
      return { outs: outputsFrom(news, drain) };
    } catch (error) {
      throw inResourceContext(KIND, news.resourceName, error);
    }
  },

  async read(id, props) {
    const state = props as LogDrainOutputs;
    try {
      const drain = await findLogDrain(state.app, id);
      return drain ? { id, props: plain({ ...state, url: secretOutput(reveal(state.url)), token: drain.token ?? "" }) } : {};
    } catch (error) {
      if (isNotFound(error)) return {};
      throw inResourceContext(KIND, state.resourceName ?? id, error);
    }
  },

  async delete(id, props) {
    try {
      await deleteLogDrain(props.app, id);
    } catch (error) {
      if (isNotFound(error)) return;
      throw inResourceContext(KIND, props.resourceName ?? id, error);
    }
  },
};
