import * as pulumi from "@pulumi/pulumi";
import { strict as assert } from "assert";
import { execFileSync } from "child_process";
import { readFileSync } from "fs";
import { join } from "path";
import * as ts from "typescript";
import { MultiHostLabInput, planMultiHost } from "../../sdk/model/multi-host";
import { remoteProbeArgv } from "../../sdk/tools/check";
import { declared } from "../support/mocks";

const base: MultiHostLabInput = {
    underlay: { b: "198.51.100.12", a: "198.51.100.11", c: "198.51.100.13" },
    overlay: { vni: 42 },
    bridge: { name: "br-lab", cidr: "10.20.0.0/24" },
    members: { red: { host: "a" }, blue: { host: "b", address: "10.20.0.20" }, green: { host: "c" } },
};

function failureOn(input: MultiHostLabInput, property: string): string {
    const { failures } = planMultiHost("mh", input);
    const found = failures.find((f) => f.property === property);
    assert.ok(found, `expected a failure on ${property}, got ${JSON.stringify(failures)}`);
    return found.reason;
}

describe("MultiHostLab: planned and checked at preview", () => {
    it("places each member on its host; the gateway host defaults to the first name; the segment's MTU to the underlay's minus 50", () => {
        const { plan, failures } = planMultiHost("mh", base);
        assert.deepEqual(failures, []);
        assert.deepEqual(plan.hosts, ["a", "b", "c"]);
        assert.equal(plan.gatewayHost, "a");
        assert.deepEqual([...plan.placement].sort(), [
            ["blue", "b"],
            ["green", "c"],
            ["red", "a"],
        ]);
        assert.equal(plan.lab.mtu, 1450);
        assert.equal(plan.lab.gateway, "10.20.0.1");
        assert.deepEqual(
            plan.lab.members.map((m) => m.namespace),
            ["mh-blue", "mh-green", "mh-red"],
            "one namespace per member, named as in a one-host lab",
        );
        assert.equal(planMultiHost("mh", { ...base, underlay: { a: "2001:db8::11" }, members: {} }).plan.lab.mtu, 1430, "70 bytes over IPv6");
    });

    it("names the property, the value and the fix for each mistake", () => {
        assert.match(failureOn({ ...base, members: { red: { host: "z" } } }, "members.red.host"), /"z" is not one of the hosts \(a, b, c\)/);
        assert.match(failureOn({ ...base, gatewayHost: "q" }, "gatewayHost"), /"q" is not one of the hosts/);
        assert.match(failureOn({ ...base, underlay: { ...base.underlay, c: "198.51.100.11" } }, "hosts.c.underlay"), /also host "a"'s/);
        assert.match(failureOn({ ...base, underlay: { ...base.underlay, c: "300.1.1.1" } }, "hosts.c.underlay"), /300\.1\.1\.1/);
        assert.match(failureOn({ ...base, underlay: { A: "198.51.100.11" }, members: {} }, "hosts.A"), /lowercase/);
        assert.match(failureOn({ ...base, overlay: { vni: 0 } }, "overlay.vni"), /VNI 0 is not a whole number from 1 to 16777215/);
        assert.match(failureOn({ ...base, underlay: {}, members: {} }, "hosts"), /at least one host/);
        const mtu = failureOn({ ...base, bridge: { ...base.bridge, mtu: 1500 } }, "bridge.mtu");
        assert.match(mtu, /MTU 1500 does not fit an underlay MTU of 1500/);
        assert.match(mtu, /use at most 1450/);
        assert.deepEqual(planMultiHost("mh", { ...base, bridge: { ...base.bridge, mtu: 8950 }, overlay: { vni: 42, underlayMtu: 9000 } }).failures, []);
    });

    it("reports the lab's own mistakes as a LabNetwork would, under the property the user typed", () => {
        assert.match(failureOn({ ...base, members: { red: { host: "a", address: "10.99.0.5" } } }, "members.red.address"), /10\.99\.0\.5/);
        assert.match(
            failureOn({ ...base, members: { red: { host: "a", address: "10.20.0.7" }, blue: { host: "b", address: "10.20.0.7" } } }, "members.red.address"),
            /also/,
        );
    });
});

describe("MultiHostLab: what it declares (Pulumi's mocks, nothing run)", function () {
    this.timeout(20_000);
    let made: Awaited<ReturnType<typeof declared>>;
    let topologySecret: boolean;
    const ssh = (address: string) => ({ ssh: { host: address, privateKey: "KEY-MATERIAL", hostKey: "SHA256:AAAA" } });

    before(async () => {
        const { MultiHostLab } = await import("../../sdk/components/multi-host-lab");
        made = await declared(() => {
            const lab = new MultiHostLab("mh", {
                hosts: {
                    a: { host: ssh("198.51.100.11"), underlay: "198.51.100.11" },
                    b: { host: ssh("198.51.100.12"), underlay: "198.51.100.12" },
                    c: { host: ssh("198.51.100.13"), underlay: "198.51.100.13" },
                },
                overlay: { vni: 42 },
                bridge: { name: "br-lab", cidr: "10.20.0.0/24" },
                uplink: "eth0",
                members: {
                    red: { host: "a", portForwards: [{ hostPort: 8081, port: 80 }] },
                    blue: { host: "b", address: "10.20.0.20", egress: "deny", portForwards: [{ hostPort: 8080, port: 80 }] },
                    green: { host: "c", egress: [{ protocol: "tcp", ports: [443] }] },
                    white: { host: "c" },
                },
            });
            void pulumi.isSecret(lab.topology).then((s) => (topologySecret = s));
        });
    });

    const named = (name: string) => {
        const found = made.find((m) => m.name === name);
        assert.ok(found, `${name} is declared (have ${made.map((m) => m.name).join(", ")})`);
        return found;
    };
    const hostOf = (name: string) => (named(name).inputs.host as { ssh: { host: string } }).ssh.host;

    it("a bridge on every host; only the gateway host's has the gateway address; forwarding and NAT only there", () => {
        assert.deepEqual(named("mh-a-bridge").inputs.addresses, ["10.20.0.1/24"]);
        assert.deepEqual(named("mh-b-bridge").inputs.addresses, []);
        assert.deepEqual(named("mh-c-bridge").inputs.addresses, []);
        assert.equal(named("mh-c-bridge").inputs.mtu, 1450);
        assert.equal(hostOf("mh-ip-forward"), "198.51.100.11");
        assert.equal(hostOf("mh-nat"), "198.51.100.11");
        assert.equal(made.filter((m) => m.type === "Sysctl").length, 1);
    });

    it("a VXLAN device on each host joining its bridge, flooding to the two others", () => {
        const vx = named("mh-overlay-b").inputs;
        assert.equal(hostOf("mh-overlay-b"), "198.51.100.12");
        assert.equal(vx.local, "198.51.100.12");
        assert.deepEqual(vx.peers, ["198.51.100.11", "198.51.100.13"]);
        assert.equal(vx.vni, 42);
        assert.equal(vx.mtu, 1450);
    });

    it("each member on its host, addresses from the gateway host's store, port forwards made where the uplink is", () => {
        assert.equal(hostOf("mh-blue"), "198.51.100.12");
        assert.equal(hostOf("mh-green"), "198.51.100.13");
        for (const m of ["mh-red", "mh-blue", "mh-green", "mh-white"]) {
            assert.equal((named(m).inputs.addressStore as { ssh: { host: string } }).ssh.host, "198.51.100.11", `${m}'s address comes from the gateway host`);
        }
        assert.equal(new Set(["mh-red", "mh-blue", "mh-green"].map((m) => named(m).inputs.pool)).size, 1, "one pool");
        assert.deepEqual(named("mh-blue").inputs.portForwards, [], "no DNAT on a host that routes nothing");
        assert.equal((named("mh-red").inputs.portForwards as unknown[]).length, 1, "the gateway host's member forwards itself");
        const pf = named("mh-blue-pf-tcp-8080").inputs;
        assert.equal(hostOf("mh-blue-pf-tcp-8080"), "198.51.100.11");
        assert.equal(pf.toAddress, "10.20.0.20");
        assert.equal(pf.inInterface, "eth0");
    });

    it("the egress policy of members on other hosts is enforced on the gateway host, where their traffic out is routed", () => {
        const fw = named("mh-remote-egress").inputs;
        assert.equal(hostOf("mh-remote-egress"), "198.51.100.11");
        const members = fw.members as Array<{ name: string; egress: unknown; address: string }>;
        assert.deepEqual(members.map((m) => m.name).sort(), ["blue", "green"], "white allows everything: nothing to enforce");
        assert.equal(members.find((m) => m.name === "blue")!.address, "10.20.0.20");
        assert.equal(members.find((m) => m.name === "blue")!.egress, "deny");
    });

    it("the topology (a stack output) names each member's host and keeps the hosts' credentials secret", () => {
        assert.equal(topologySecret, true);
    });
});

describe("check across hosts: the remote probe command", () => {
    it("carries the probe script as node -e's argument, so nothing is copied to the host, and the script runs its probes", () => {
        // The script as it ships (compiled to CommonJS); under ts-node there is no .js next to the source.
        const source = readFileSync(join(__dirname, "..", "..", "sdk", "sandbox", "probe.ts"), "utf8");
        const script = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText;
        const argv = remoteProbeArgv("mh-red", "[]", script);
        assert.deepEqual(argv.slice(0, 6), ["ip", "netns", "exec", "mh-red", "node", "-e"]);
        assert.equal(argv[7], "[]");
        // The part after `ip netns exec NS`, run here: the script must define main and print the (empty) results.
        const out = execFileSync(process.execPath, argv.slice(5), { encoding: "utf8" });
        assert.equal(out, "[]");
    });
});
