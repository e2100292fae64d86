/**
 * Defence in depth for text that is joined before a program parses it:
 * `ip -batch` lines (words split at white space, with quotes and `#`
 * comments) and `nft -f` scripts (one statement per line, `;` and `#`
 * special). Inputs are validated in `check`; these checks run again at the
 * executor on what is actually about to be sent, so a value that slipped
 * past validation fails loudly instead of adding a statement.
 */

/** Returns why `word` cannot be one word of an `ip -batch` line, or undefined. */
export function batchWordError(word: string): string | undefined {
    // eslint-disable-next-line no-control-regex -- control characters are exactly what this looks for
    if (word === "" || /[\s"'\\#;]/.test(word) || /[\x00-\x1f\x7f]/.test(word)) {
        return `${JSON.stringify(word)} cannot be a word of an ip -batch line (empty, or white space, a quote, a backslash, '#' or ';')`;
    }
    return undefined;
}

/** The `ip -batch` input for these commands; throws when a word could split or extend a line. */
export function batchInput(lines: readonly (readonly string[])[]): string {
    for (const line of lines) {
        for (const word of line) {
            const error = batchWordError(word);
            if (error) throw new Error(`refusing to run ip -batch: ${error}`);
        }
    }
    return lines.map((l) => l.join(" ")).join("\n") + "\n";
}

/**
 * Returns why `line` is not exactly one nft statement, or undefined: no line
 * break or control character, and outside double quotes no `;` or `#`
 * (except the `;` that end a chain definition's clauses inside `{ ... }`),
 * with every quote closed.
 */
export function nftStatementError(line: string): string | undefined {
    // eslint-disable-next-line no-control-regex -- control characters are exactly what this looks for
    if (/[\x00-\x1f\x7f]/.test(line)) return `nft statement ${JSON.stringify(line)} holds a line break or control character`;
    let quoted = false;
    let braces = 0;
    for (const c of line) {
        if (c === '"') quoted = !quoted;
        else if (!quoted && c === "{") braces++;
        else if (!quoted && c === "}") braces--;
        else if (!quoted && (c === "#" || (c === ";" && braces === 0)))
            return `nft statement ${JSON.stringify(line)} holds ${JSON.stringify(c)} outside quotes`;
    }
    return quoted || braces !== 0 ? `nft statement ${JSON.stringify(line)} has an unclosed quote or brace` : undefined;
}

/** Throws unless every line of the script is exactly one statement. */
export function assertNftScript(script: string): string {
    for (const line of script.split("\n").filter((l) => l !== "")) {
        const error = nftStatementError(line);
        if (error) throw new Error(`refusing to run nft: ${error}`);
    }
    return script;
}
