/**
 * Quoting for the one place netplumb hands a remote machine a string: an SSH
 * `exec` request, which sshd gives to the user's login shell as `sh -c STRING`. Every argument is quoted here and nowhere else, so the remote
 * shell only ever splits the string back into exactly the argv it came from.
 */

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why an argument cannot be passed as one word (undefined: it can). */
export function unquotableReason(arg: string): string | undefined {
    if (arg.includes("\0")) return "it contains a NUL byte, which no argument can carry";
    if (LONE_SURROGATE.test(arg)) return "it contains a lone UTF-16 surrogate, which has no UTF-8 encoding";
    return undefined;
}

/**
 * One argument as one POSIX shell word: wrapped in single quotes, inside
 * which a shell gives no character a meaning, with each `'` written as `'\''`
 * (close, an escaped quote, reopen). Plain words (letters, digits and
 * `@%+=:,./_-`) are left bare so logs stay readable. Throws for an argument
 * no shell word can carry (see unquotableReason).
 */
export function shellWord(arg: string): string {
    const reason = unquotableReason(arg);
    if (reason) throw new Error(`cannot pass ${JSON.stringify(arg)} to a remote command: ${reason}`);
    if (/^[A-Za-z0-9@%+=:,./_-]+$/.test(arg)) return arg;
    return `'${arg.split("'").join("'\\''")}'`;
}

/** argv as the command line a POSIX shell splits back into exactly argv: its words joined by spaces. */
export function commandLine(argv: readonly string[]): string {
    if (argv.length === 0) throw new Error("cannot run an empty command");
    return argv.map(shellWord).join(" ");
}
