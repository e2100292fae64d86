import { strict as assert } from "assert";
import { Target } from "../../sdk/host/target";
import { failedLines, readMany } from "../../sdk/kernel/links";
import { RecordingHost } from "../support/recording-host";

// What iproute2 6.x writes for `ip -n NS -j -d -force -batch -` when lines 2 and 3 fail.
const STDERR_TWO_FAILED = 'Device "eth0" does not exist.\nCommand failed -:2\nCannot find device "eth0"\nCommand failed -:3\n';
const COMMANDS = [
    ["addr", "show", "dev", "lo"],
    ["addr", "show", "dev", "eth0"],
    ["route", "show", "default", "dev", "eth0", "proto", "4"],
];

describe("links: several reads in one ip process", () => {
    it("failedLines maps each `Command failed -:N` to the message before it", () => {
        assert.deepEqual(
            [...failedLines(STDERR_TWO_FAILED)],
            [
                [2, 'Device "eth0" does not exist.'],
                [3, 'Cannot find device "eth0"'],
            ],
        );
        assert.deepEqual([...failedLines("")], []);
    });

    it("runs one `ip -n NS -j -d -force -batch -` and hands each command its own output", async () => {
        const host = new RecordingHost(() => ({ stdout: '[{"ifname":"lo"}]\n[{"ifname":"eth0"}]\n[]\n' }));
        const outputs = await readMany(new Target(host, "m1"), COMMANDS);
        assert.deepEqual(outputs, ['[{"ifname":"lo"}]', '[{"ifname":"eth0"}]', "[]"]);
        assert.deepEqual(host.lines(), [
            "ip -n m1 -j -d -force -batch -",
            "  addr show dev lo",
            "  addr show dev eth0",
            "  route show default dev eth0 proto 4",
        ]);
    });

    it("a read whose object is gone is undefined; the others keep their outputs", async () => {
        const host = new RecordingHost(() => ({ code: 1, stdout: '[{"ifname":"lo"}]\n', stderr: STDERR_TWO_FAILED }));
        assert.deepEqual(await readMany(new Target(host, "m1"), COMMANDS), ['[{"ifname":"lo"}]', undefined, undefined]);
    });

    it("a namespace that is gone makes every read undefined", async () => {
        const host = new RecordingHost(() => ({ code: 255, stderr: 'Cannot open network namespace "m1": No such file or directory\n' }));
        assert.deepEqual(await readMany(new Target(host, "m1"), COMMANDS), [undefined, undefined, undefined]);
    });

    it("any other failure throws instead of passing for gone (refresh must not drop a member it could not read)", async () => {
        const denied = new RecordingHost(() => ({ code: 1, stdout: "[]\n[]\n", stderr: "RTNETLINK answers: Operation not permitted\nCommand failed -:1\n" }));
        await assert.rejects(readMany(new Target(denied, "m1"), COMMANDS), /Operation not permitted/);
        const whole = new RecordingHost(() => ({ code: 255, stderr: "mount --make-rslave /: Permission denied\n" }));
        await assert.rejects(readMany(new Target(whole, "m1"), COMMANDS), /Permission denied/);
        const short = new RecordingHost(() => ({ stdout: "[]\n" }));
        await assert.rejects(readMany(new Target(short, "m1"), COMMANDS), /1 outputs for 3 commands/);
    });
});
