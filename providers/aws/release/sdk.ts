// The AWS SDK packages the release task uses, loaded by their package entry points only.
//
// Why `require` inside functions instead of `import`: Pulumi serializes the release provider, and a module it
// captures by reference is written as `require(<path>)`, where <path> comes from the module's file in
// `require.cache` (`@pulumi/pulumi/runtime/closure/createClosure.js` `findNormalizedModuleNameAsync`, then
// `package.js` `getModuleFromPath`). For a package without an `exports` map, such as `@aws-sdk/client-ecs`, that
// path stays the deep file (`@aws-sdk/client-ecs/dist-cjs/index.js`), which breaks with any SDK that moves its
// build output or adds an `exports` map. A `require("<package>")` written in a function body is left as is
// (`require` is never captured: `parseFunction.js` `nodeModuleGlobals`), so the serialized text names only the
// package, resolved when the call runs, from the directory `pulumi up` runs in.
//
// Types come from `import type`, erased at compile time.
import type * as Ecs from "@aws-sdk/client-ecs";
import type * as Sts from "@aws-sdk/client-sts";
import type * as CredentialProviders from "@aws-sdk/credential-providers";

/** `@aws-sdk/client-ecs`: RunTask, DescribeTasks, StopTask. */
export function loadEcs(): typeof Ecs {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require("@aws-sdk/client-ecs") as typeof Ecs;
}

/** `@aws-sdk/client-sts`: GetCallerIdentity, to know whose account the release would run in. */
export function loadSts(): typeof Sts {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require("@aws-sdk/client-sts") as typeof Sts;
}

/** `@aws-sdk/credential-providers`: the SDK's own credential providers (profile files, role chains, default chain). */
export function loadCredentialProviders(): typeof CredentialProviders {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require("@aws-sdk/credential-providers") as typeof CredentialProviders;
}
