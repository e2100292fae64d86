import { strict as assert } from "assert";
import { IDENTITY, diffSpecs } from "../../sdk/model/diff";
import { checkShaping, defaultBurst, directionCommands, ifbName, parseDirection, parseRate, redirectCommands } from "../../sdk/model/shaping";

const base = { owner: "netplumb:p/s@0123456789ab/red-shaping", host: { netns: "sbx" }, adopt: false, interface: "vlab-red" };

describe("TrafficShaping: checked at preview", () => {
    it("reads rates as bits per second or in tc's notation", () => {
        assert.equal(parseRate("10mbit"), 10_000_000);
        assert.equal(parseRate("512kbit"), 512_000);
        assert.equal(parseRate("1.5Gbit"), 1_500_000_000);
        assert.equal(parseRate(2_000_000), 2_000_000);
        for (const bad of ["10mb", "fast", "", -5, 0, "10 mbps"]) assert.equal(parseRate(bad), undefined, String(bad));
    });

    it("fills the defaults: a 10 ms bucket (at least 3000 bytes), 50 ms latency, and the IFB's name", () => {
        const { spec, failures } = checkShaping({ ...base, outbound: { rate: "10mbit" }, inbound: { rate: "1mbit" } });
        assert.deepEqual(failures, []);
        assert.deepEqual(spec.outbound, { rate: 10_000_000, burst: 12_500, latency: 50, delay: undefined, jitter: undefined, loss: undefined });
        assert.equal(spec.inbound?.burst, 3000);
        assert.equal(defaultBurst(1_000_000_000), 1_250_000);
        assert.match(spec.ifb, /^ifb-[0-9a-f]{8}$/);
        assert.equal(spec.ifb, ifbName(undefined, "vlab-red"), "stable for the interface");
        assert.notEqual(ifbName(undefined, "vlab-red"), ifbName(undefined, "vlab-blue"));
    });

    it("names each bad value and the fix", () => {
        const failures = checkShaping({ ...base, outbound: { rate: "10mb", burst: 10, jitter: 5, loss: 120 } }).failures;
        const by = new Map(failures.map((f) => [f.property, f.reason]));
        assert.match(by.get("outbound.rate")!, /"10mb" is not a rate; give bits per second \(10000000\) or tc's notation/);
        assert.match(by.get("outbound.burst")!, /10 is not a whole number of bytes from 1500/);
        assert.match(by.get("outbound.jitter")!, /give delay too/);
        assert.match(by.get("outbound.loss")!, /120 is not a percentage/);
        assert.match(checkShaping(base).failures[0].reason, /neither outbound nor inbound is given/);
    });

    it("a new rate is an update; another interface a replace", () => {
        const { spec } = checkShaping({ ...base, outbound: { rate: "10mbit" } });
        assert.deepEqual(diffSpecs(spec, checkShaping({ ...base, outbound: { rate: "20mbit" } }).spec, IDENTITY.shaping).replaces, []);
        assert.deepEqual(diffSpecs(spec, checkShaping({ ...base, interface: "vlab-blue", outbound: { rate: "10mbit" } }).spec, IDENTITY.shaping).replaces, [
            "interface",
        ]);
    });
});

describe("TrafficShaping: the commands (golden argv)", () => {
    it("a root TBF, or netem above it when delay or loss is asked for", () => {
        const { spec } = checkShaping({ ...base, outbound: { rate: "10mbit" }, inbound: { rate: "1mbit", delay: 20, jitter: 5, loss: 1.5 } });
        assert.deepEqual(directionCommands("vlab-red", spec.outbound!), [
            ["qdisc", "replace", "dev", "vlab-red", "root", "handle", "1:", "tbf", "rate", "10000000bit", "burst", "12500", "latency", "50ms"],
        ]);
        assert.deepEqual(directionCommands(spec.ifb, spec.inbound!), [
            ["qdisc", "replace", "dev", spec.ifb, "root", "handle", "1:", "netem", "delay", "20ms", "5ms", "loss", "1.5%"],
            ["qdisc", "replace", "dev", spec.ifb, "parent", "1:", "handle", "2:", "tbf", "rate", "1000000bit", "burst", "3000", "latency", "50ms"],
        ]);
    });

    it("redirects everything arriving on the interface to the IFB", () => {
        assert.deepEqual(redirectCommands("vlab-red", "ifb-0123abcd"), [
            ["qdisc", "replace", "dev", "vlab-red", "handle", "ffff:", "ingress"],
            [
                "filter",
                "replace",
                "dev",
                "vlab-red",
                "parent",
                "ffff:",
                "protocol",
                "all",
                "prio",
                "1",
                "handle",
                "800::1",
                "u32",
                "match",
                "u32",
                "0",
                "0",
                "action",
                "mirred",
                "egress",
                "redirect",
                "dev",
                "ifb-0123abcd",
            ],
        ]);
    });

    it("reads a TBF as tc -j prints it on this kernel (rate in bytes per second)", () => {
        const json =
            '[{"kind":"tbf","handle":"8001:","root":true,"options":{"rate":1250000,"burst":4095,"lat":50000},"bytes":0,"drops":0,"overlimits":0},{"kind":"ingress","handle":"ffff:","options":{}}]';
        assert.deepEqual(parseDirection(json), { rate: 10_000_000, burst: 4095, netem: false });
        assert.equal(parseDirection('[{"kind":"noqueue","options":{}}]'), undefined);
    });
});
