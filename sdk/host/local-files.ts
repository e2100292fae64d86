import { promises as fs } from "fs";
import { FileAccess } from "./host";

function code(error: unknown): string | undefined {
    return (error as NodeJS.ErrnoException).code;
}

/** The local machine's files, in this process: no `cat`/`tee`/`mkdir` process per operation. */
export class LocalFiles implements FileAccess {
    async read(path: string): Promise<string | undefined> {
        try {
            return await fs.readFile(path, "utf8");
        } catch (error) {
            if (code(error) === "ENOENT") return undefined;
            throw error;
        }
    }

    write(path: string, content: string): Promise<void> {
        return fs.writeFile(path, content);
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

    remove(path: string): Promise<void> {
        return fs.rm(path, { force: true });
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
