// Serializes work per Heroku app inside this process.
//
// Why: Heroku cannot handle one app requesting several add-ons at once (terraform-provider-heroku serializes
// add-on creation for the same reason), and the Pulumi engine creates independent resources in parallel.
//
// How: every dynamic resource of a deployment runs in ONE dynamic-provider host process, but each resource's
// provider is deserialized on its own (the host caches by serialized text), so a lock in a module variable
// would not be shared. A registry on `globalThis`, under a fixed string key, is: every deserialized copy finds
// the same one. A lock file under os.tmpdir() would also cover two processes, but two deployments of the same
// app at once are already unsafe (Pulumi's stack lock prevents it for one stack), and a file lock left behind
// by a killed `pulumi up` would need stale-lock recovery; so the in-process lock is the simpler correct choice.

const LOCKS_SLOT = "__multicloudHerokuAppLocks";

function locks(): Map<string, Promise<void>> {
  const holder = globalThis as Record<string, unknown>;
  let map = holder[LOCKS_SLOT] as Map<string, Promise<void>> | undefined;
  if (!map) {
    map = new Map();
    holder[LOCKS_SLOT] = map;
  }
  return map;
}

/**
 * Runs `work` once every earlier `withAppLock` call for the same `lockKey` (e.g. `addons:<app id>`) has
 * settled, and returns its result. Failures are propagated to the caller only, never to the next in line.
 */
export async function withAppLock<T>(lockKey: string, work: () => Promise<T>): Promise<T> {
  const map = locks();
  const previous = map.get(lockKey) ?? Promise.resolve();
  let release!: () => void;
  const current = new Promise<void>((resolve) => (release = resolve));
  const tail = previous.then(() => current);
  map.set(lockKey, tail);
  await previous;
  try {
    return await work();
  } finally {
    release();
    // Forget the key once nobody queued behind us, so the map does not grow with every app ever touched.
    if (map.get(lockKey) === tail) map.delete(lockKey);
  }
}
