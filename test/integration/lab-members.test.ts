import { strict as assert } from "assert";
import { execFileSync } from "child_process";
import { existsSync, rmSync } from "fs";
import * as set from "../../sdk/kernel/lab-members";
import { STORE } from "../../sdk/kernel/allocation";
import { LabMembersSpec, LabMembersState, checkLabMembers } from "../../sdk/model/lab-members";
import { Sandbox, ip, links, namespaces } from "../support/sandbox";
import { hasCommand, isRoot, requireOrSkip } from "../support/suite";

const nftRules = (ns: string, table: string) =>
    execFileSync("ip", ["netns", "exec", ns, "nft", "list", "table", "inet", table], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });

/** The kernel's index of a link: a recreated link gets a new one. */
const ifindex = (ns: string, name: string) => (JSON.parse(ip("-n", ns, "-j", "link", "show", name)) as Array<{ ifindex: number }>)[0].ifindex;

describe("kernel: every member of a lab as one resource (LabMembers, root)", function () {
    let sbx: Sandbox;
    const table = `netplumb_iset_${process.pid}`;
    const pool = () => `iset_${sbx.tag}`;

    before(function () {
        requireOrSkip(this, isRoot(), "namespaces and nftables need root");
        requireOrSkip(this, hasCommand("nft"), "nftables (nft) is not installed");
        sbx = new Sandbox("nps");
        ip("-n", sbx.host, "link", "add", "br0", "type", "bridge");
        ip("-n", sbx.host, "address", "add", "198.51.100.1/24", "dev", "br0");
        ip("-n", sbx.host, "link", "set", "br0", "up");
    });
    after(() => {
        sbx?.destroy();
        if (sbx && !process.env.KEEP) rmSync(`${STORE}/${pool()}`, { recursive: true, force: true });
    });

    const member = (name: string, extra: Record<string, unknown> = {}) => ({
        namespace: sbx.name(name),
        hostInterface: `v${name}${sbx.tag}`.slice(0, 15),
        interface: "eth0",
        chains: `lab_${name}`,
        ...extra,
    });

    const spec = (members: Record<string, Record<string, unknown>>): LabMembersSpec => {
        const result = checkLabMembers({
            host: { netns: sbx.host },
            owner: `netplumb:itest/run/set-${sbx.tag}`,
            adopt: false,
            pool: pool(),
            subnet: "198.51.100.0/24",
            gateway: "198.51.100.1",
            bridge: "br0",
            table,
            members,
        });
        assert.deepEqual(result.failures, []);
        return result.spec;
    };

    it("creates every member (explicit addresses kept), reads them back clean, and an update touches only the members that change", async () => {
        const first = spec({
            red: member("red", { egress: "deny" }),
            blue: member("blue", { address: "198.51.100.2" }),
            green: member("green", { nameservers: ["203.0.113.1"] }),
        });
        let state: LabMembersState = await set.createLabMembers(first);
        assert.equal(state.members.blue.allocated, "198.51.100.2", "the explicit address is blue's, though red comes first");
        assert.deepEqual(
            Object.values(state.members)
                .map((m) => m.allocated)
                .sort(),
            ["198.51.100.2", "198.51.100.3", "198.51.100.4"],
        );
        for (const name of ["red", "blue", "green"]) {
            assert.ok(namespaces().includes(sbx.name(name)), name);
            assert.match(ip("-n", sbx.name(name), "route", "show", "default"), /via 198\.51\.100\.1 dev eth0/);
        }
        assert.match(nftRules(sbx.host, table), /lab_red/);
        const clean = await set.readLabMembers(state);
        assert.deepEqual(
            Object.values(clean.members).map((m) => m.drift),
            [undefined, undefined, undefined],
        );

        const blueLink = ifindex(sbx.host, first.members.blue.hostInterface);
        const greenLink = ifindex(sbx.host, first.members.green.hostInterface);
        state = await set.updateLabMembers(
            state,
            spec({
                red: member("red", { egress: "allow" }),
                blue: member("blue", { address: "198.51.100.2" }),
                yellow: member("yellow"),
                green: member("green", { nameservers: ["203.0.113.1"], hostInterface: `vg2${sbx.tag}`.slice(0, 15) }),
            }),
        );
        assert.equal(ifindex(sbx.host, first.members.blue.hostInterface), blueLink, "blue, unchanged, is not touched");
        assert.ok(!links(sbx.host).includes(first.members.green.hostInterface), "green's old veth is gone");
        assert.notEqual(ifindex(sbx.host, `vg2${sbx.tag}`.slice(0, 15)), greenLink, "green is recreated with its new interface");
        assert.ok(namespaces().includes(sbx.name("yellow")));
        assert.deepEqual(Object.keys(state.members).sort(), ["blue", "green", "red", "yellow"]);

        ip("netns", "del", sbx.name("yellow"));
        ip("-n", sbx.name("red"), "route", "del", "default");
        const drifted = await set.readLabMembers(state);
        assert.match(drifted.members.yellow.drift ?? "", /namespace .*-yellow is missing/, "a member whose namespace is gone stays, as drift");
        assert.match(drifted.members.red.drift ?? "", /default route via 198\.51\.100\.1 is missing/);
        state = await set.updateLabMembers(drifted, spec({ red: member("red"), blue: member("blue", { address: "198.51.100.2" }) }));
        assert.equal((await set.readLabMembers(state)).members.red.drift, undefined, "red's drift is repaired");
        assert.ok(!namespaces().includes(sbx.name("green")), "green, removed from the set, is deleted");

        await set.deleteLabMembers(state);
        await set.deleteLabMembers(state);
        for (const name of ["red", "blue", "green", "yellow"]) assert.ok(!namespaces().includes(sbx.name(name)), name);
        assert.equal(existsSync(`${STORE}/${pool()}`), false, "every address is released");
        assert.throws(() => nftRules(sbx.host, table), /No such file or directory|does not exist/);
    });

    it("a repeated create (a kill before the state recorded the set) takes every member back with its address", async () => {
        const s = spec({ red: member("red"), blue: member("blue"), green: member("green") });
        const first = await set.createLabMembers(s);
        const again = await set.createLabMembers(s);
        assert.deepEqual(
            Object.fromEntries(Object.entries(again.members).map(([n, m]) => [n, m.allocated])),
            Object.fromEntries(Object.entries(first.members).map(([n, m]) => [n, m.allocated])),
        );
        assert.equal((await set.readLabMembers(again)).members.blue.drift, undefined);
        await set.deleteLabMembers(again);
        for (const name of ["red", "blue", "green"]) assert.ok(!namespaces().includes(sbx.name(name)), name);
    });

    it("a namespace name taken by someone else fails that member by name, removes the others and leaves the stranger's namespace alone", async () => {
        const stranger = sbx.foreignNamespace("blue");
        const s = spec({ red: member("red"), blue: member("blue"), green: member("green") });
        await assert.rejects(set.createLabMembers(s), new RegExp(`member "blue": .*${stranger}`));
        assert.ok(namespaces().includes(stranger), "the stranger's namespace is still there");
        for (const name of ["red", "green"]) assert.ok(!namespaces().includes(sbx.name(name)), `${name} is removed again`);
        assert.equal(existsSync(`${STORE}/${pool()}`), false, "every address is released");
        ip("netns", "del", stranger);
    });

    it("a create where one member fails removes every member it made and names the one that failed", async () => {
        const bad = spec({ red: member("red"), blue: member("blue", { hostInterface: "br0" }), green: member("green") });
        await assert.rejects(set.createLabMembers(bad), /member "blue": .*br0/);
        for (const name of ["red", "blue", "green"]) assert.ok(!namespaces().includes(sbx.name(name)), `${name} is removed again`);
        assert.equal(existsSync(`${STORE}/${pool()}`), false, "every address is released");
        assert.match(ip("-n", sbx.host, "-d", "link", "show", "br0"), /bridge/, "the existing bridge is untouched");
    });
});
