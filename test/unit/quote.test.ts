import { strict as assert } from "assert";
import { execFileSync } from "child_process";
import fc from "fast-check";
import { commandLine, shellWord } from "../../sdk/host/quote";

/** The argv a POSIX shell makes of `line`: it runs `printf '%s\0' LINE` and splits the output at each NUL. */
function argvAfterShell(shell: string, line: string): string[] {
    const out = execFileSync(shell, ["-c", `printf '%s\\0' ${line}`], {
        encoding: "utf8",
        env: { PATH: process.env.PATH, LC_ALL: "C" },
        // Not a socket on standard input: bash would take itself for sshd's child and read ~/.bashrc.
        stdio: ["ignore", "pipe", "pipe"],
    });
    return out.split("\0").slice(0, -1);
}

/** Arguments with every character a shell might treat specially, and any Unicode text without NUL. */
const argument = fc.oneof(
    fc.string({ unit: "binary" }).filter((s) => !s.includes("\0")),
    fc.string({ unit: fc.constantFrom(..."'\"\\`$!*?[]{}()<>|&;#~= \t\n\r-%^".split(""), "é", "💥") }),
);

describe("quoting for SSH: the remote shell gets back exactly the argv", () => {
    for (const shell of ["sh", "bash"]) {
        it(`any argv (no NUL) survives ${shell} -c unchanged (200 generated argvs, one ${shell} each)`, () => {
            fc.assert(
                fc.property(fc.array(argument, { minLength: 1, maxLength: 6 }), (argv) => {
                    assert.deepEqual(argvAfterShell(shell, commandLine(argv)), argv);
                }),
                { numRuns: 200 },
            );
        });
    }

    it("plain words stay bare; anything else is single-quoted with ' written as '\\''", () => {
        assert.equal(
            commandLine(["ip", "-n", "vlab-blue", "addr", "add", "198.51.100.2/24", "dev", "eth0"]),
            "ip -n vlab-blue addr add 198.51.100.2/24 dev eth0",
        );
        assert.equal(shellWord(""), "''");
        assert.equal(shellWord("a b"), "'a b'");
        assert.equal(shellWord("it's"), "'it'\\''s'");
        assert.equal(shellWord("$(reboot)"), "'$(reboot)'");
    });

    it("refuses what no argument can carry, naming it", () => {
        assert.throws(() => shellWord("a\0b"), /NUL byte/);
        assert.throws(() => shellWord("a\uD800b"), /lone UTF-16 surrogate/);
        assert.throws(() => commandLine([]), /empty command/);
    });
});
