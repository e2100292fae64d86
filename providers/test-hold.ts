import { appendFileSync, existsSync, readFileSync } from "fs";

/**
 * A test-only hook that lets the kill -9 suite stop `pulumi up` at an exact
 * point on a machine of any speed. It does nothing unless the environment of
 * `pulumi` sets `NETPLUMB_TEST_HOLD="<file>:<count>:<id part>"` (only the
 * test suites do). Then every create of a resource whose id contains
 * `<id part>` appends its id to `<file>` once its kernel objects exist, and
 * from the `<count>`th such create on it does not answer the engine until
 * the file `<file>.release` exists (the kill -9 suite never makes it, so the
 * engine cannot finish before the test kills it; the SSH suite makes it once
 * it has cut a machine's sshd at that exact point). A `<count>` of 0 holds
 * every such create before it touches the host.
 */
export interface HoldSetting {
    readonly file: string;
    readonly count: number;
    readonly idPart: string;
}

/** The hold asked for in `value` (the environment variable), or undefined. */
export function parseHold(value: string | undefined): HoldSetting | undefined {
    const match = /^(\/[^:]+):(\d+):(.+)$/.exec(value ?? "");
    return match ? { file: match[1], count: Number(match[2]), idPart: match[3] } : undefined;
}

const never = () => new Promise<never>(() => undefined);

/**
 * Resolves once `<file>.release` exists (checked every 50 ms); never, if
 * nobody makes it. The timer does not keep a process alive by itself (the
 * provider's server does), so a process that holds can still exit.
 */
async function released(file: string): Promise<void> {
    while (!existsSync(`${file}.release`)) await new Promise((r) => setTimeout(r, 50).unref());
}

/** Holds before the create when the setting's count is 0. */
export async function holdBeforeCreate(id: string, setting = parseHold(process.env.NETPLUMB_TEST_HOLD)): Promise<void> {
    if (setting === undefined || setting.count !== 0 || !id.includes(setting.idPart)) return;
    appendFileSync(setting.file, `${id} (held before create)\n`);
    await never();
}

/** Records the finished create, and holds once `count` of them are recorded. */
export async function holdAfterCreate(id: string, setting = parseHold(process.env.NETPLUMB_TEST_HOLD)): Promise<void> {
    await recordAndHold(id, setting);
}

/**
 * The same for deletes, set by `NETPLUMB_TEST_HOLD_DELETE` (same format):
 * records each finished delete and holds from the `<count>`th on, so a kill
 * lands after the kernel work of a batched removal and before the engine
 * records those deletes.
 */
export async function holdAfterDelete(id: string, setting = parseHold(process.env.NETPLUMB_TEST_HOLD_DELETE)): Promise<void> {
    await recordAndHold(id, setting);
}

async function recordAndHold(id: string, setting: HoldSetting | undefined): Promise<void> {
    if (setting === undefined || setting.count === 0 || !id.includes(setting.idPart)) return;
    appendFileSync(setting.file, `${id}\n`);
    const recorded = readFileSync(setting.file, "utf8")
        .split("\n")
        .filter((line) => line !== "").length;
    if (recorded >= setting.count) await released(setting.file);
}
