import { strict as assert } from "assert";
import { mkdtempSync, readFileSync, rmSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { PassThrough } from "stream";
import { exitWithEngine, isProviderHost } from "../../providers/engine-watch";
import { holdAfterCreate, holdAfterDelete, holdBeforeCreate, parseHold } from "../../providers/test-hold";
import { LocalHost, commandEnv } from "../../sdk/host/local";

/** "held" when the promise has not settled once every pending callback has run (it has no timer to wait for). */
async function settled(promise: Promise<unknown>): Promise<"done" | "held"> {
    return Promise.race([promise.then(() => "done" as const), new Promise<"held">((r) => setImmediate(() => setImmediate(() => r("held"))))]);
}

describe("host: commands run in the C locale", () => {
    it("sets LC_ALL=C over the caller's locale", () => {
        assert.equal(commandEnv({ LANG: "de_DE.UTF-8", LC_ALL: "de_DE.UTF-8" }).LC_ALL, "C");
    });

    it("a real command sees LC_ALL=C", async () => {
        const result = await new LocalHost().exec(["env"]);
        assert.match(result.stdout, /^LC_ALL=C$/m);
    });
});

describe("providers: the provider process ends with its engine", () => {
    it("recognises Pulumi's dynamic-provider host by its script, and nothing else", () => {
        assert.ok(isProviderHost(["node", "/x/node_modules/@pulumi/pulumi/cmd/dynamic-provider", "127.0.0.1:1"]));
        assert.ok(!isProviderHost(["node", "/x/node_modules/mocha/bin/mocha.js"]));
        assert.ok(!isProviderHost(["node"]));
    });

    it("exits with status 1 when the engine's pipe closes, not before", async () => {
        const pipe = new PassThrough();
        const exits: number[] = [];
        exitWithEngine(pipe, (code) => exits.push(code));
        pipe.write("noise");
        await new Promise((r) => setImmediate(r));
        assert.deepEqual(exits, []);
        const ended = new Promise((r) => pipe.on("end", r));
        pipe.end();
        await ended;
        assert.deepEqual(exits, [1]);
    });
});

describe("providers: the crash suite's test hold", () => {
    let dir = "";
    beforeEach(() => (dir = mkdtempSync(join(tmpdir(), "netplumb-hold-"))));
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it("is off unless the variable names an absolute file, a count and an id part", () => {
        assert.equal(parseHold(undefined), undefined);
        assert.equal(parseHold("relative:1:/member/"), undefined);
        assert.equal(parseHold("/tmp/x:one:/member/"), undefined);
        assert.deepEqual(parseHold("/tmp/x:5:/member/"), { file: "/tmp/x", count: 5, idPart: "/member/" });
    });

    it("records finished creates and holds from the count-th on; other ids pass", async () => {
        const setting = { file: join(dir, "held"), count: 2, idPart: "/member/" };
        assert.equal(await settled(holdAfterCreate("ns/member/p/a", setting)), "done");
        assert.equal(await settled(holdAfterCreate("netns/other", setting)), "done");
        assert.equal(await settled(holdAfterCreate("ns/member/p/b", setting)), "held");
        assert.deepEqual(readFileSync(setting.file, "utf8").split("\n").filter(Boolean), ["ns/member/p/a", "ns/member/p/b"]);
    });

    it("deletes are held the same way, by their own setting", async () => {
        const setting = { file: join(dir, "deleted"), count: 2, idPart: "/member/" };
        assert.equal(await settled(holdAfterDelete("ns/member/p/a", setting)), "done");
        assert.equal(await settled(holdAfterDelete("ns/member/p/b", setting)), "held");
        assert.equal(await settled(holdAfterDelete("ns/member/p/c")), "done", "off unless NETPLUMB_TEST_HOLD_DELETE is set");
    });

    it("a count of 0 holds before the create and not after", async () => {
        const setting = { file: join(dir, "held"), count: 0, idPart: "/member/" };
        assert.equal(await settled(holdAfterCreate("ns/member/p/a", setting)), "done");
        assert.equal(await settled(holdBeforeCreate("ns/member/p/a", setting)), "held");
        assert.equal(await settled(holdBeforeCreate("netns/x", setting)), "done");
    });
});
