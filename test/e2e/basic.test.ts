import { strict as assert } from "assert";
import { execFileSync } from "child_process";
import { cpSync, existsSync, mkdirSync, rmSync } from "fs";
import { join } from "path";
import { ROOT, hasPulumi, previewSteps, pulumi, pulumiOk, summarize } from "../support/engine";
import { ip, links, namespaces } from "../support/sandbox";
import { removeLeftovers } from "../support/leftovers";
import { MachineSnapshot, machineSnapshot } from "../support/snapshot";
import { isRoot, requireOrSkip, runTag } from "../support/suite";

function ping(fromNamespace: string, address: string): boolean {
    try {
        execFileSync("ip", ["netns", "exec", fromNamespace, "ping", "-c", "1", "-W", "2", address], { stdio: "ignore" });
        return true;
    } catch {
        return false;
    }
}

describe("e2e: the basic example with the real pulumi CLI", function () {
    this.timeout(10 * 60 * 1000);
    const tag = runTag();
    const prefix = `npe${tag}`;
    const stack = `e2e-${tag}`;
    const project = join(ROOT, ".tools", "e2e", `basic-${tag}`);
    const red = `${prefix}-red`;
    const blue = `${prefix}-blue`;
    const hostNs = `${prefix}-host`;
    let baseline: MachineSnapshot;

    before(function () {
        requireOrSkip(this, isRoot(), "the example builds network namespaces, which needs root");
        requireOrSkip(this, hasPulumi(), "no pulumi CLI: run `npm run setup` first");
        baseline = machineSnapshot();
        mkdirSync(project, { recursive: true });
        cpSync(join(ROOT, "examples", "basic"), project, { recursive: true, filter: (src) => !src.includes("node_modules") && !/Pulumi\..+\.yaml$/.test(src) });
        execFileSync("bash", [join(ROOT, "scripts", "pack.sh"), project], { stdio: "ignore" });
        pulumiOk(project, ["stack", "init", stack]);
        pulumiOk(project, ["config", "set", "prefix", prefix]);
    });

    after(function () {
        if (!existsSync(project)) return;
        pulumi(project, ["destroy", "--yes"]);
        pulumi(project, ["stack", "rm", "--yes", "--force", stack]);
        rmSync(project, { recursive: true, force: true });
        removeLeftovers({ prefix, stacks: [stack] }, baseline);
    });

    it("up builds the namespaces, bridge and veths inside the sandbox", () => {
        pulumiOk(project, ["up", "--yes", "--skip-preview"]);
        assert.deepEqual(
            namespaces().filter((n) => n.startsWith(prefix)),
            [blue, hostNs, red],
        );
        assert.deepEqual(links(hostNs), ["br0", "lo", "veth-blue", "veth-red"]);
    });

    it("the two namespaces reach each other and the bridge address", () => {
        assert.ok(ping(red, "192.0.2.11"), "red -> blue");
        assert.ok(ping(blue, "192.0.2.10"), "blue -> red");
        assert.ok(ping(red, "192.0.2.1"), "red -> bridge");
    });

    it("a second preview reports no changes", () => {
        assert.deepEqual(previewSteps(project), []);
        assert.equal(pulumi(project, ["preview", "--expect-no-changes"]).code, 0);
    });

    it("an MTU change previews as in-place updates of exactly that property, and applies", () => {
        pulumiOk(project, ["config", "set", "--path", "mtu", "1400"]);
        assert.deepEqual(summarize(previewSteps(project)), [
            ["blue-veth", "update", ["a", "b"]],
            ["bridge", "update", ["mtu"]],
            ["red-veth", "update", ["a", "b"]],
        ]);
        const diff = pulumiOk(project, ["preview", "--diff"]);
        assert.match(diff, /~ mtu\s*: 1500 => 1400/);
        assert.doesNotMatch(diff, /replace/);
        pulumiOk(project, ["up", "--yes", "--skip-preview"]);
        assert.match(ip("-n", red, "link", "show", "dev", "eth0"), /mtu 1400/);
        assert.match(ip("-n", hostNs, "link", "show", "dev", "br0"), /mtu 1400/);
        assert.ok(ping(red, "192.0.2.11"));
    });

    it("a veth deleted behind Pulumi's back is found by refresh and repaired by up", () => {
        ip("-n", hostNs, "link", "del", "dev", "veth-red");
        const refresh = pulumiOk(project, ["refresh", "--yes", "--skip-preview"]);
        assert.match(refresh, /red-veth\s+deleted/);
        const steps = summarize(previewSteps(project)).map(([name, op]) => `${op} ${name}`);
        assert.deepEqual(steps, ["create red-default", "create red-veth"]);
        pulumiOk(project, ["up", "--yes", "--skip-preview"]);
        assert.ok(ping(red, "192.0.2.11"), "red -> blue after repair");
        assert.deepEqual(previewSteps(project), []);
    });

    it("drift in MTU, a route and a sysctl is reported by refresh and repaired by up", () => {
        ip("-n", red, "link", "set", "dev", "eth0", "mtu", "1300");
        ip("-n", blue, "route", "del", "default");
        execFileSync("ip", ["netns", "exec", hostNs, "sysctl", "-q", "-w", "net.ipv4.ip_forward=0"]);
        pulumiOk(project, ["refresh", "--yes", "--skip-preview"]);
        const steps = summarize(previewSteps(project)).map(([name, op]) => `${op} ${name}`);
        assert.deepEqual(steps, ["create blue-default", "update forwarding", "update red-veth"]);
        const diff = pulumiOk(project, ["preview", "--diff"]);
        assert.match(diff, /~ value\s*: "0" => "1"/);
        assert.match(diff, /~ mtu\s*: 1300 => 1400/);
        pulumiOk(project, ["up", "--yes", "--skip-preview"]);
        assert.match(ip("-n", red, "link", "show", "dev", "eth0"), /mtu 1400/);
        assert.match(ip("-n", blue, "route", "show", "default"), /via 192.0.2.1/);
        assert.equal(execFileSync("ip", ["netns", "exec", hostNs, "sysctl", "-n", "net.ipv4.ip_forward"], { encoding: "utf8" }).trim(), "1");
        assert.deepEqual(previewSteps(project), []);
    });

    it("destroy leaves no namespace, link or file of the stack behind", () => {
        pulumiOk(project, ["destroy", "--yes", "--skip-preview"]);
        assert.deepEqual(machineSnapshot(), baseline);
    });

    it("a preview with bad input fails naming the property and value, and creates nothing", () => {
        pulumiOk(project, ["config", "set", "prefix", "x; touch /tmp/netplumb-pwned"]);
        const result = pulumi(project, ["preview"]);
        assert.notEqual(result.code, 0);
        assert.match(
            result.stdout + result.stderr,
            /property name value .* namespace name "x; touch \/tmp\/netplumb-pwned-\w+" contains characters that are not allowed/,
        );
        assert.ok(!existsSync("/tmp/netplumb-pwned"));
        pulumiOk(project, ["config", "set", "prefix", prefix]);
        pulumiOk(project, ["config", "set", "--path", "mtu", "20"]);
        const mtu = pulumi(project, ["up", "--yes"]);
        assert.notEqual(mtu.code, 0);
        assert.match(mtu.stdout + mtu.stderr, /MTU 20 is out of range; use a whole number of bytes from 68 to 65535/);
        assert.deepEqual(machineSnapshot(), baseline);
    });
});
