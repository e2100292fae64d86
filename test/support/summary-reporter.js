// Mocha's spec reporter plus the time spent in each stage (unit,
// integration, e2e, ... by the test file's folder under test/) and one
// closing line that CI reads: "N passed, N failed, N skipped".
"use strict";
const Mocha = require("mocha");
const { EVENT_RUN_END, EVENT_SUITE_BEGIN } = Mocha.Runner.constants;

/** The stage of a test file: the folder right under test/ ("unit", "integration", "e2e"). */
function stageOf(file) {
    const match = /\/test\/([^/]+)\//.exec(file || "");
    return match ? match[1] : "other";
}

class SummaryReporter extends Mocha.reporters.Spec {
    constructor(runner, options) {
        super(runner, options);
        const stages = new Map();
        let current;
        let since = Date.now();
        const switchTo = (stage) => {
            const now = Date.now();
            if (current !== undefined) stages.set(current, (stages.get(current) || 0) + (now - since));
            current = stage;
            since = now;
        };
        runner.on(EVENT_SUITE_BEGIN, (suite) => {
            if (suite.file && stageOf(suite.file) !== current) switchTo(stageOf(suite.file));
        });
        runner.once(EVENT_RUN_END, () => {
            switchTo(undefined);
            const { passes, failures, pending } = runner.stats;
            const times = [...stages].map(([stage, ms]) => `${stage} ${(ms / 1000).toFixed(1)} s`).join(", ");
            process.stdout.write(`\ntime per stage: ${times}\n`);
            process.stdout.write(`\n${passes} passed, ${failures} failed, ${pending} skipped\n`);
        });
    }
}

module.exports = SummaryReporter;
