/** Member i's policy: allow, web-only or deny, in turn; `changed` gets SSH added. */
export function benchMembers(count: number, changed?: number) {
    const policies = ["allow", [{ protocol: "tcp", ports: [80, 443] }], "deny"] as const;
    const members: Record<string, { egress: unknown }> = {};
    for (let i = 0; i < count; i++) {
        const egress = i === changed ? [{ protocol: "tcp", ports: [80, 443, 22] }] : policies[i % 3];
        members[`m${String(i).padStart(3, "0")}`] = { egress };
    }
    return members as Record<string, never>;
}
