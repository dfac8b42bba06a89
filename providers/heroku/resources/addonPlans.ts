// Which add-on plan changes Heroku can make in place, and what to say about the others. A plan change that
// needs a data copy is refused, never turned into a replacement: replacing an add-on destroys its data.
//
// Sources: Dev Center "Changing the Plan or Infrastructure of a Heroku Postgres Database" (addons:upgrade works
// within the Essential tier and between Standard/Premium/Private/Shield; Essential to other tiers needs
// pg:copy) and "Heroku Key-Value Store" (mini has no followers, so leaving it means moving the data).

/** `heroku-postgresql:essential-0` split into service and plan. */
export interface PlanName {
  /** Add-on service, e.g. `heroku-postgresql`. */
  service: string;
  /** Plan within the service, e.g. `essential-0`. */
  plan: string;
}

/** Splits `service:plan`; undefined when the text is not of that form. */
export function parsePlan(text: string): PlanName | undefined {
  const match = /^([a-z0-9][a-z0-9-]*):([a-z0-9][a-z0-9-]*)$/.exec(text.trim());
  return match ? { service: match[1] as string, plan: match[2] as string } : undefined;
}

/**
 * The group of plans an add-on can move between in place, for the services we know; undefined for services
 * whose rules we do not know (Heroku then decides).
 */
export function planFamily(name: PlanName): string | undefined {
  const prefix = name.plan.split("-")[0] ?? "";
  if (name.service === "heroku-postgresql") {
    // mini/basic/hobby-* are the Essential tier's earlier names.
    if (["essential", "mini", "basic", "hobby"].includes(prefix)) return "essential";
    if (["standard", "premium", "private", "shield"].includes(prefix)) return "production";
  }
  if (name.service === "heroku-redis") {
    if (prefix === "mini" || prefix === "hobby") return "mini";
    if (["premium", "private", "shield"].includes(prefix)) return "production";
  }
  return undefined;
}

/** The config var prefix Heroku's own tooling uses for a service's first add-on. */
export function defaultAttachmentName(service: string): string {
  if (service === "heroku-postgresql") return "DATABASE";
  if (service === "heroku-redis") return "REDIS";
  return service.toUpperCase().replace(/[^A-Z0-9]+/g, "_");
}

/**
 * Why `from` cannot become `to` in place, with the way to migrate; undefined when Heroku can change the plan
 * itself (same plan family, or a service whose rules we do not know).
 */
export function planChangeProblem(from: string, to: string, app: string, attachmentName: string): string | undefined {
  const a = parsePlan(from);
  const b = parsePlan(to);
  if (!a || !b || from === to) return undefined;
  if (a.service !== b.service) {
    return (
      `an add-on cannot change service (${a.service} -> ${b.service}). Declare a new Addon for ${b.service} ` +
      `beside this one, move the data, then remove this Addon from the program (removing it destroys its data).`
    );
  }
  const familyA = planFamily(a);
  const familyB = planFamily(b);
  if (familyA === undefined || familyB === undefined || familyA === familyB) return undefined;
  const newAttachment = `NEW_${attachmentName}`;
  if (a.service === "heroku-postgresql") {
    return (
      `${from} -> ${to} needs a data copy (Heroku can only change Essential-tier databases within that tier), and ` +
      `this resource never replaces a database: that would destroy the data. To migrate: 1) declare a second ` +
      `Addon with plan ${to} and attachmentName ${newAttachment}; 2) put the app in maintenance ` +
      `(heroku maintenance:on -a ${app}); 3) heroku pg:copy ${attachmentName}_URL ${newAttachment}_URL -a ${app}; ` +
      `4) heroku pg:promote ${newAttachment} -a ${app}; 5) maintenance off, remove the old Addon from the program, ` +
      `and run pulumi refresh.`
    );
  }
  return (
    `${from} -> ${to} needs the data moved (a ${familyA} plan cannot be upgraded in place to a ${familyB} plan), ` +
    `and this resource never replaces a data store: that would destroy the data. To migrate: declare a second ` +
    `Addon with plan ${to} and attachmentName ${newAttachment}, copy the keys you need (or let caches refill), ` +
    `point the app at ${newAttachment}_URL, then remove the old Addon from the program.`
  );
}
