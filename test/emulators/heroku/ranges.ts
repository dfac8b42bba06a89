/**
 * List paging as the Platform API does it (reference, "Ranges"): a list answer holds at most `max` items (default
 * 200, at most 1000) sorted by the `Range` header's field; when more remain the status is 206 Partial Content and
 * `Next-Range` says what to send as `Range` for the next page. Clients must treat `Next-Range` as opaque.
 *
 * ASSUMED (not published): the exact text of `Next-Range`. The emulator answers `<field> ]<last value>..; max=N`
 * (`]` = exclusive start, the form heroku-client 0.6 used), plus `, order=desc` when descending, and clamps a
 * `max` above 1000 to 1000.
 */

/** A parsed `Range` header: `<field> <start>..; max=N, order=asc|desc`. */
export interface ParsedRange {
  /** Sort field (`id`, `version`, ...). */
  field: string;
  /** Start value, if any; `exclusive` when written `]value`. */
  start?: string;
  exclusive: boolean;
  /** Page size. */
  max: number;
  order: "asc" | "desc";
}

export const DEFAULT_PAGE_SIZE = 200;
export const MAX_PAGE_SIZE = 1000;

/** Reads a `Range` header; absent parts take the defaults (`defaultField`, 200, ascending). */
export function parseRange(header: string | undefined, defaultField: string): ParsedRange {
  const text = (header ?? "").trim();
  const semicolon = text.indexOf(";");
  const spec = semicolon === -1 ? text : text.slice(0, semicolon);
  const params = semicolon === -1 ? "" : text.slice(semicolon + 1);
  const specMatch = /^(\w+)?\s*(\]?)([^.]*)\.\./.exec(spec.trim());
  const max = /max=(\d+)/.exec(params);
  const order = /order=(asc|desc)/.exec(params);
  return {
    field: specMatch?.[1] ?? defaultField,
    start: specMatch?.[3] ? specMatch[3].trim() : undefined,
    exclusive: specMatch?.[2] === "]",
    max: Math.min(MAX_PAGE_SIZE, Math.max(1, max ? Number(max[1]) : DEFAULT_PAGE_SIZE)),
    order: (order?.[1] as "asc" | "desc" | undefined) ?? "asc",
  };
}

/** One page of a list answer: the status (200 or 206), the items, and `Next-Range` when more remain. */
export interface ListPage<T> {
  status: number;
  body: T[];
  headers: Record<string, string>;
}

function sortValue(item: unknown, field: string): string | number {
  const value = (item as Record<string, unknown>)[field];
  return typeof value === "number" ? value : String(value ?? "");
}

function compare(a: string | number, b: string | number): number {
  if (typeof a === "number" && typeof b === "number") return a - b;
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}

/** The page of `items` the `Range` header asks for, sorted by its field (`defaultField` when it names none). */
export function listPage<T>(
  items: readonly T[],
  rangeHeader: string | undefined,
  options: { defaultField?: string; pageSizeLimit?: number } = {},
): ListPage<T> {
  const parsed = parseRange(rangeHeader, options.defaultField ?? "id");
  const range = { ...parsed, max: Math.min(parsed.max, options.pageSizeLimit ?? MAX_PAGE_SIZE) };
  const direction = range.order === "desc" ? -1 : 1;
  const sorted = [...items].sort((a, b) => direction * compare(sortValue(a, range.field), sortValue(b, range.field)));
  let from = 0;
  if (range.start !== undefined) {
    const start = /^\d+$/.test(range.start) && typeof sortValue(sorted[0], range.field) === "number" ? Number(range.start) : range.start;
    from = sorted.findIndex((item) => {
      const order = direction * compare(sortValue(item, range.field), start);
      return range.exclusive ? order > 0 : order >= 0;
    });
    if (from === -1) from = sorted.length;
  }
  const page = sorted.slice(from, from + range.max);
  if (from + range.max >= sorted.length || page.length === 0) return { status: 200, body: page, headers: {} };
  const last = sortValue(page[page.length - 1], range.field);
  const nextRange = `${range.field} ]${last}..; max=${range.max}${range.order === "desc" ? ", order=desc" : ""}`;
  return { status: 206, body: page, headers: { "Next-Range": nextRange } };
}
