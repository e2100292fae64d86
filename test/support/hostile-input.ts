import fc from "fast-check";

/** Strings a hostile or careless user might put in any field: separators, quotes, comment marks, line breaks, and noise. */
const NASTY = [
    'a"b',
    "x;y",
    "a\nb",
    "a b",
    "#c",
    "br0 }",
    '"',
    "{",
    "}",
    "a\\b",
    "x\tz",
    "$(reboot)",
    "`id`",
    "a'b",
    "flush ruleset",
    "eth0\n",
    " eth0",
    "ok#",
];

/** Either one of the given valid values or something hostile: most generated inputs are bad, some are good. */
export function field(...valid: string[]): fc.Arbitrary<string> {
    return fc.oneof(
        { weight: 8, arbitrary: fc.constantFrom(...valid) },
        { weight: 1, arbitrary: fc.constantFrom(...NASTY) },
        { weight: 1, arbitrary: fc.string({ maxLength: 24 }) },
        { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 24 }) },
    );
}

/** Firewall inputs with every field drawn from `field`. */
export function firewallInput(): fc.Arbitrary<Record<string, unknown>> {
    const member = fc.record({
        name: field("red", "blue"),
        address: field("198.51.100.2", "198.51.100.3", "2001:db8::5"),
        egress: fc.oneof(fc.constantFrom("allow", "deny"), fc.constant([{ protocol: "tcp", ports: [80, 443] }])),
        ingress: fc.constantFrom("allow", "deny"),
        port: fc.record({ name: field("vred", "vblue"), mac: field("02:00:5e:00:53:02", "02:00:5e:00:53:03") }),
    });
    return fc.record({
        owner: field("netplumb:p/s/fw"),
        host: fc.constant({}),
        adopt: fc.constant(false),
        table: field("netplumb_p_s"),
        chains: field("lab_red"),
        bridge: field("br-lab", "br0"),
        masquerade: fc.array(fc.record({ source: field("198.51.100.0/24"), outInterface: field("wan0") }), { maxLength: 1 }),
        members: fc.array(member, { maxLength: 2 }),
    });
}

/** Veth pair inputs with names, namespaces, addresses and MACs drawn from `field`. */
export function vethInput(): fc.Arbitrary<Record<string, unknown>> {
    const end = (name: string) =>
        fc.record({
            name: field(name),
            addresses: fc.array(field("198.51.100.9/24", "2001:db8::9/64"), { maxLength: 1 }),
            mac: field("02:00:5e:00:53:09"),
            mtu: fc.constantFrom(1400, 1500),
        });
    return fc.record({ owner: field("netplumb:p/s/veth"), host: fc.constant({}), adopt: fc.constant(false), a: end("va"), b: end("vb") });
}
