/**
 * Ends the dynamic-provider process when the engine that started it dies.
 * The engine gives every plugin a pipe as standard input and holds its write
 * end; when the engine is killed (`kill -9 pulumi`), the kernel closes it and
 * the pipe reads end-of-file. Upstream's Node provider host does not watch
 * for that, so without this a provider running netplumb's code as root would
 * outlive its engine. Only in the provider host process (never in a program
 * or a test that imports the providers), and the watch keeps nothing alive.
 */

/** True when this process is Pulumi's Node dynamic-provider host. */
export function isProviderHost(argv: readonly string[] = process.argv): boolean {
    return (argv[1] ?? "").replace(/\\/g, "/").includes("@pulumi/pulumi/cmd/dynamic-provider");
}

/** Exits with status 1 once standard input (the engine's pipe) closes. */
export function exitWithEngine(input: NodeJS.ReadableStream = process.stdin, exit: (code: number) => void = (code) => process.exit(code)): void {
    input.on("end", () => exit(1));
    input.on("error", () => exit(1));
    input.on("data", () => undefined);
    input.resume();
    (input as unknown as { unref?: () => void }).unref?.();
}

if (isProviderHost()) exitWithEngine();
