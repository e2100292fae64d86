import { constants, promises as fs } from "fs";
import { dirname } from "path";
import { FileAccess } from "./host";

function code(error: unknown): string | undefined {
    return (error as NodeJS.ErrnoException).code;
}

/**
 * The temporary file a write of `path` goes through: one name per path, so a
 * write cut off by a crash leaves at most this file, which the next write
 * reuses and a removal of `path` removes too.
 */
export function temporaryOf(path: string): string {
    return `${path}.netplumb-tmp`;
}

/** Throws when `path` is a symbolic link (root must never write through one someone planted); absent is fine. */
export async function refuseSymlink(path: string): Promise<void> {
    try {
        if ((await fs.lstat(path)).isSymbolicLink()) throw new Error(`refusing to write through ${path}: it is a symbolic link; remove it and run again`);
    } catch (error) {
        if (code(error) !== "ENOENT") throw error;
    }
}

/** The local machine's files, in this process: no `cat`/`tee`/`mkdir` process per operation. */
export class LocalFiles implements FileAccess {
    async read(path: string): Promise<string | undefined> {
        try {
            return await fs.readFile(path, "utf8");
        } catch (error) {
            // ESRCH: a /proc/<pid> file of a process that ended while it was read.
            if (code(error) === "ENOENT" || code(error) === "ESRCH") return undefined;
            throw error;
        }
    }

    async write(path: string, content: string, mode: number): Promise<void> {
        await refuseSymlink(dirname(path));
        await refuseSymlink(path);
        const temporary = temporaryOf(path);
        const file = await fs.open(temporary, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW, mode);
        try {
            await file.writeFile(content);
            await file.chmod(mode);
            await file.sync();
        } finally {
            await file.close();
        }
        try {
            await fs.rename(temporary, path);
        } catch (error) {
            await fs.rm(temporary, { force: true });
            throw error;
        }
    }

    async rename(from: string, to: string): Promise<boolean> {
        try {
            await fs.rename(from, to);
            return true;
        } catch (error) {
            if (["ENOTEMPTY", "EEXIST", "ENOTDIR", "EISDIR"].includes(code(error) ?? "")) return false;
            throw error;
        }
    }

    async makeDirectory(path: string, parents: boolean): Promise<boolean> {
        try {
            await fs.mkdir(path, { recursive: parents });
            return true;
        } catch (error) {
            if (code(error) === "EEXIST") return false;
            throw error;
        }
    }

    async remove(path: string): Promise<void> {
        await fs.rm(path, { force: true });
        await fs.rm(temporaryOf(path), { force: true });
    }

    async removeEmptyDirectory(path: string): Promise<void> {
        try {
            await fs.rmdir(path);
        } catch (error) {
            if (!["ENOENT", "ENOTEMPTY", "EEXIST"].includes(code(error) ?? "")) throw error;
        }
    }

    async isDirectory(path: string): Promise<boolean> {
        try {
            return (await fs.stat(path)).isDirectory();
        } catch (error) {
            if (code(error) === "ENOENT") return false;
            throw error;
        }
    }

    list(path: string): Promise<string[]> {
        return fs.readdir(path);
    }
}
