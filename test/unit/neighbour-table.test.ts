import { strict as assert } from "assert";
import {
    neighbourEntriesNeeded,
    neighbourTableEntries,
    neighbourTableFulls,
    neighbourTableLimit,
    neighbourTableWarning,
} from "../../sdk/tools/neighbour-table";
import type { MatrixCell } from "../../sdk/tools/expectations";

const ARP_CACHE = `entries  allocs   destroys hash_grows lookups  hits     res_failed rcv_probes_mcast rcv_probes_ucast periodic_gc_runs forced_gc_runs unresolved_discards table_fulls
00000386 00002bd7 00002da5 00000005   0009ea17 00027587 00000156   00000000         00000000         000000eb         00027394       00000000            00027156
00000386 00002bd7 00002da5 00000005   0009ea17 00027587 00000156   00000000         00000000         000000eb         00027394       00000000            00000010
`;

describe("check and the machine's neighbour table", () => {
    it("reads gc_thresh3, and falls back to the kernel's 1024 when it cannot", () => {
        assert.equal(
            neighbourTableLimit(() => "16384\n"),
            16384,
        );
        assert.equal(
            neighbourTableLimit(() => {
                throw new Error("ENOENT");
            }),
            1024,
        );
        assert.equal(
            neighbourTableLimit(() => "nonsense"),
            1024,
        );
    });

    it("reads the table's entries (hex, the first column: the same on every CPU's line)", () => {
        assert.equal(
            neighbourTableEntries(() => ARP_CACHE),
            0x386,
        );
    });

    it("sums table_fulls (hex) over every CPU's line", () => {
        assert.equal(
            neighbourTableFulls(() => ARP_CACHE),
            0x27156 + 0x10,
        );
        assert.equal(
            neighbourTableFulls(() => "entries allocs\n1 2\n"),
            0,
        );
    });

    it("two entries per ping between members; a warning naming the limit and the fixes only when they do not fit", () => {
        const ping = { from: "a", to: "b", probe: { kind: "ping", address: "198.51.100.3" }, expected: true } as MatrixCell;
        const tcp = { from: "a", to: "internet tcp/80", probe: { kind: "tcp", address: "203.0.113.1", port: 80 }, expected: true } as MatrixCell;
        assert.equal(neighbourEntriesNeeded([ping, ping, tcp]), 4);
        assert.equal(neighbourTableWarning(1024, 1024), undefined);
        const warning = neighbourTableWarning(19800, 1024)!;
        assert.match(warning, /need up to 19800 neighbour \(ARP\) entries, and this machine's table holds 1024 \(net\.ipv4\.neigh\.default\.gc_thresh3/);
        assert.match(warning, /--only MEMBER, --sample N/);
        assert.match(warning, /sysctl -w net\.ipv4\.neigh\.default\.gc_thresh3=39600/);
    });
});
