import { strict as assert } from "assert";
import { execFileSync } from "child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { createCniAttachment, deleteCniAttachment } from "../../sdk/kernel/cni-attachment";
import { checkCniAttachment } from "../../sdk/model/cni-exec";
import { ROOT } from "../support/engine";
import { Sandbox, ip, links } from "../support/sandbox";
import { isRoot, requireOrSkip } from "../support/suite";

const CNITOOL = join(ROOT, ".tools", "extended", "bin", "cnitool");
const BIN_DIR = join(ROOT, ".tools", "cni", "usr", "lib", "cni");

/** The network both tools attach with: only host-local's claim directory differs, so each starts from the first address. */
const plugins = (dataDir: string) => [
    {
        type: "bridge",
        bridge: "cnx0",
        isGateway: true,
        ipam: { type: "host-local", dataDir, ranges: [[{ subnet: "198.51.100.64/26" }]], routes: [{ dst: "0.0.0.0/0" }] },
    },
    { type: "portmap", capabilities: { portMappings: true } },
];

interface CniResult {
    cniVersion?: string;
    interfaces?: Array<{ name: string; mac?: string; sandbox?: string }>;
    ips?: Array<{ address: string; gateway?: string; interface?: number }>;
    routes?: unknown[];
    dns?: unknown;
}

/** A result with what differs by nature between two attachments (MACs, the host-side veth's random name, the namespace path) blanked, and an empty DNS section dropped. */
function shape(result: CniResult): unknown {
    return {
        cniVersion: result.cniVersion,
        interfaces: (result.interfaces ?? []).map((i) => ({
            name: i.name.startsWith("veth") ? "veth*" : i.name,
            mac: i.mac ? "mac" : undefined,
            sandbox: i.sandbox ? "netns" : undefined,
        })),
        ips: result.ips,
        routes: result.routes,
        // The plugins print `"dns": {}`; libcni re-encodes the result and drops an empty one. Same meaning.
        dns: result.dns !== undefined && JSON.stringify(result.dns) !== "{}" ? result.dns : undefined,
    };
}

/** A namespace's eth0 addresses and routes, as the kernel has them. */
function kernelView(ns: string): unknown {
    const addrs = (
        JSON.parse(ip("-n", ns, "-j", "addr", "show", "dev", "eth0")) as Array<{
            mtu: number;
            addr_info: Array<{ local: string; prefixlen: number; scope: string }>;
        }>
    )[0];
    const routes = JSON.parse(ip("-n", ns, "-j", "route", "show")) as Array<{ dst: string; gateway?: string; dev: string }>;
    return {
        mtu: addrs.mtu,
        addresses: addrs.addr_info.filter((a) => a.scope !== "link").map((a) => `${a.local}/${a.prefixlen}`),
        routes: routes.map((r) => [r.dst, r.gateway, r.dev]),
    };
}

/**
 * The reference runtime's own tool against netplumb: the same network
 * attached to two namespaces, once by `cnitool add` (libcni), once by
 * CniAttachment. The results (interfaces, addresses, routes, DNS) and what
 * the kernel holds in each namespace must be the same.
 */
describe("extended: CniAttachment attaches exactly as the reference cnitool does (root)", function () {
    this.timeout(120_000);
    let sbx: Sandbox;
    let work: string;

    before(function () {
        requireOrSkip(this, isRoot(), "namespaces and the plugins need root");
        requireOrSkip(this, existsSync(CNITOOL), "cnitool is not built: run scripts/setup-extended.sh");
        requireOrSkip(this, existsSync(join(BIN_DIR, "bridge")), "the CNI plugins are not unpacked: run npm run setup");
        sbx = new Sandbox("ncx");
        work = mkdtempSync(join(tmpdir(), "netplumb-cnitool-"));
    });
    after(() => {
        sbx?.destroy();
        if (work) rmSync(work, { recursive: true, force: true });
    });

    it("the same interfaces, addresses, routes and DNS in the result and in the namespace", async () => {
        const byTool = sbx.foreignNamespace("tool");
        const byNetplumb = sbx.foreignNamespace("np");
        const confDir = join(work, "net.d");
        mkdirSync(confDir);
        writeFileSync(join(confDir, "10-cxnet.conflist"), JSON.stringify({ cniVersion: "1.0.0", name: "cxnet", plugins: plugins(join(work, "ipam-tool")) }));
        const env = ["env", `CNI_PATH=${BIN_DIR}`, `NETCONFPATH=${confDir}`, `CNI_IFNAME=eth0`];
        const toolRun = (command: string) =>
            execFileSync("ip", ["netns", "exec", sbx.host, ...env, CNITOOL, command, "cxnet", `/run/netns/${byTool}`], { encoding: "utf8" });
        const fromTool = JSON.parse(toolRun("add")) as CniResult;

        const { spec, failures } = checkCniAttachment({
            owner: "netplumb:itest/cnitool@0123456789ab/np",
            host: { netns: sbx.host },
            adopt: false,
            namespace: byNetplumb,
            network: { name: "cxnet", cniVersion: "1.0.0", binDir: BIN_DIR, plugins: plugins(join(work, "ipam-netplumb")) },
        });
        assert.deepEqual(failures, []);
        const state = await createCniAttachment(spec);
        try {
            assert.deepEqual(shape(state.result as CniResult), shape(fromTool));
            assert.deepEqual(kernelView(byNetplumb), kernelView(byTool));
            assert.deepEqual((state.result as CniResult).ips?.[0].address, "198.51.100.66/26");
        } finally {
            await deleteCniAttachment(state);
            toolRun("del");
        }
        for (const ns of [byTool, byNetplumb]) assert.ok(!links(ns).includes("eth0"), `DEL took eth0 out of ${ns}`);
    });
});
