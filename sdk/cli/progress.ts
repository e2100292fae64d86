import { Presets, SingleBar } from "cli-progress";

/** Reports progress as a count of members done out of all. */
export interface Progress {
    readonly update: (done: number, total: number) => void;
    /** Ends the bar (its line stays, with a newline) and stops its redraw timer. */
    readonly stop: () => void;
}

/**
 * A progress bar (cli-progress) drawn through `write`, as on a terminal:
 * `probing [████░░░░] 3/10 members`. Only for a terminal: the caller passes
 * none when standard error is not one. While it runs, a timer redraws it up
 * to 10 times a second; `stop` draws the final count and ends the timer.
 */
export function progressBar(write: (text: string) => void, columns = 80): Progress {
    // The bar needs a stream; this one writes through `write` and says it is a terminal.
    const stream = { isTTY: true, columns, write: (text: string) => (write(text), true), cursorTo: () => true, clearLine: () => true, moveCursor: () => true };
    const bar = new SingleBar(
        {
            stream: stream as unknown as NodeJS.WritableStream,
            format: "probing [{bar}] {value}/{total} members",
            hideCursor: false,
            fps: 10,
            noTTYOutput: false,
            clearOnComplete: false,
        },
        Presets.shades_classic,
    );
    let started = false;
    return {
        update: (done, total) => {
            if (!started) {
                bar.start(total, done);
                started = true;
            } else bar.update(done);
        },
        stop: () => {
            if (started) bar.stop();
        },
    };
}
