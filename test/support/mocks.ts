import * as pulumi from "@pulumi/pulumi";

/** Pulumi's marker of a secret value in serialized inputs. */
const SECRET_SIG = "4dabf18193072939515e22adb298388d";

/** Serialized inputs with secrets replaced by their values. */
function revealed(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(revealed);
    if (value === null || typeof value !== "object") return value;
    const record = value as Record<string, unknown>;
    if (SECRET_SIG in record) return revealed(record.value);
    return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, revealed(v)]));
}

/**
 * Every resource `build` registers under Pulumi's mocks (nothing runs), once
 * all of them are: some wait for others' outputs. A resource's `allocated`
 * output is its `address` input or a fresh 10.20.0.x.
 */
export async function declared(build: () => void): Promise<Array<{ type: string; name: string; inputs: Record<string, unknown> }>> {
    const made: Array<{ type: string; name: string; inputs: Record<string, unknown> }> = [];
    await pulumi.runtime.setMocks(
        {
            newResource: (args) => {
                made.push({ type: args.type.replace(/^.*:/, ""), name: args.name, inputs: revealed(args.inputs) as Record<string, unknown> });
                const allocated = (args.inputs as { address?: string }).address ?? `10.20.0.${100 + made.length}`;
                return { id: `${args.name}-id`, state: { ...args.inputs, allocated } };
            },
            call: (args) => args.inputs as Record<string, unknown>,
        },
        "proj",
        "stk",
        false,
    );
    build();
    let count = -1;
    while (count !== made.length) {
        count = made.length;
        await new Promise((r) => setTimeout(r, 200));
    }
    return made;
}
