/** Fargate task sizes and CPU architectures: the portable size table and the pairs Fargate accepts. */
import type { Size } from "../../components/sizes";
import type { ResolvedImage } from "../backend";

/** A Fargate task size: CPU units (1024 = 1 vCPU) and memory in MiB. */
export interface FargateSize {
  cpu: number;
  memory: number;
}

/** Each portable size as the Fargate pair that meets its promise exactly. */
export const FARGATE_SIZES: Readonly<Record<Size, FargateSize>> = {
  nano: { cpu: 256, memory: 512 },
  micro: { cpu: 512, memory: 1024 },
  small: { cpu: 1024, memory: 2048 },
  medium: { cpu: 2048, memory: 4096 },
  large: { cpu: 4096, memory: 8192 },
  xlarge: { cpu: 8192, memory: 16384 },
};

/** The memory values (MiB) Fargate accepts for each CPU value, from the Fargate task size table. */
const MEMORY_BY_CPU: ReadonlyMap<number, readonly number[]> = new Map([
  [256, [512, 1024, 2048]],
  [512, range(1024, 4096, 1024)],
  [1024, range(2048, 8192, 1024)],
  [2048, range(4096, 16384, 1024)],
  [4096, range(8192, 30720, 1024)],
  [8192, range(16384, 61440, 4096)],
  [16384, range(32768, 122880, 8192)],
]);

/** The CPU values Fargate accepts. */
export const FARGATE_CPUS: readonly number[] = [...MEMORY_BY_CPU.keys()];

function range(from: number, to: number, step: number): number[] {
  const values: number[] = [];
  for (let v = from; v <= to; v += step) values.push(v);
  return values;
}

/** The memory values Fargate accepts with `cpu`, as a short human list ("1024-4096 in steps of 1024"). */
export function describeMemoryFor(cpu: number): string {
  const values = MEMORY_BY_CPU.get(cpu);
  if (!values) return `none (cpu must be one of ${FARGATE_CPUS.join(", ")})`;
  if (values.length <= 3) return values.join(", ");
  return `${values[0]}-${values[values.length - 1]} in steps of ${values[1]! - values[0]!}`;
}

/** Overrides of the portable size, from a component's settings. */
export interface SizeOverrides {
  cpu?: number;
  memory?: number;
}

/**
 * The task size: the portable size, with the settings' `cpu` and/or `memory` replacing its halves. Returns an error
 * message when the result is not a pair Fargate accepts.
 */
export function resolveFargateSize(size: Size, overrides: SizeOverrides): FargateSize | { error: string } {
  const base = FARGATE_SIZES[size];
  const cpu = overrides.cpu ?? base.cpu;
  let memory = overrides.memory ?? base.memory;
  // A cpu override alone keeps the size's memory when Fargate allows it, else takes the smallest memory it allows:
  // "more CPU" should not force the user to look up the table.
  const allowed = MEMORY_BY_CPU.get(cpu);
  if (!allowed) return { error: `cpu ${cpu} is not a Fargate CPU value; allowed: ${FARGATE_CPUS.join(", ")}` };
  if (overrides.memory === undefined && !allowed.includes(memory)) memory = allowed[0]!;
  if (!allowed.includes(memory)) {
    return { error: `memory ${memory} MiB is not allowed with cpu ${cpu} on Fargate; allowed: ${describeMemoryFor(cpu)}` };
  }
  return { cpu, memory };
}

/** Fargate's CPU architectures, as `runtimePlatform.cpuArchitecture` spells them. */
export type CpuArchitecture = "ARM64" | "X86_64";

/** What decides the architecture of a task. */
export interface ArchitectureChoice {
  /** From settings: forces the architecture. */
  architecture?: "arm64" | "x86_64";
}

/**
 * The task's CPU architecture. ARM64 (Graviton) is ~20% cheaper, so images we build default to it, on Fargate Spot
 * too: FARGATE_SPOT runs ARM64 Linux tasks on platform version 1.4.0 or later (ECS API reference,
 * CapacityProviderStrategyItem; we leave `platformVersion` at LATEST, which is 1.4.0). A prebuilt image defaults to
 * X86_64 because we cannot know which platforms its publisher pushed (nearly every image has amd64, many lack arm64):
 * set `architecture: arm64` when it has one.
 */
export function chooseArchitecture(choice: ArchitectureChoice, image: ResolvedImage): CpuArchitecture {
  if (choice.architecture) return choice.architecture === "arm64" ? "ARM64" : "X86_64";
  return image.kind === "build" ? "ARM64" : "X86_64";
}

/** The docker `--platform` of an architecture. */
export function dockerPlatform(arch: CpuArchitecture): "linux/arm64" | "linux/amd64" {
  return arch === "ARM64" ? "linux/arm64" : "linux/amd64";
}
