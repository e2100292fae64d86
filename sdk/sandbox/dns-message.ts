/**
 * The little DNS the sandbox's emulated internet needs: parse a query's
 * name and type, answer A records from a table, NXDOMAIN otherwise.
 */

/** The queried name (lower case) and type of a DNS query packet, or undefined when malformed. */
export function parseQuestion(packet: Buffer): { id: number; name: string; type: number; end: number } | undefined {
    if (packet.length < 12) return undefined;
    const labels: string[] = [];
    let offset = 12;
    while (offset < packet.length && packet[offset] !== 0) {
        const length = packet[offset];
        if (length > 63 || offset + 1 + length > packet.length) return undefined;
        labels.push(
            packet
                .subarray(offset + 1, offset + 1 + length)
                .toString("ascii")
                .toLowerCase(),
        );
        offset += 1 + length;
    }
    if (offset + 5 > packet.length) return undefined;
    return { id: packet.readUInt16BE(0), name: labels.join("."), type: packet.readUInt16BE(offset + 1), end: offset + 5 };
}

/** A response: the question echoed, one A record when `address` is known, NXDOMAIN when the name is not. */
export function answer(query: Buffer, records: ReadonlyMap<string, string>): Buffer | undefined {
    const q = parseQuestion(query);
    if (q === undefined) return undefined;
    const address = records.get(q.name);
    const header = Buffer.alloc(12);
    header.writeUInt16BE(q.id, 0);
    header.writeUInt16BE(0x8180 | (address === undefined ? 3 : 0), 2);
    header.writeUInt16BE(1, 4);
    const withAnswer = address !== undefined && q.type === 1;
    header.writeUInt16BE(withAnswer ? 1 : 0, 6);
    const question = query.subarray(12, q.end);
    if (!withAnswer) return Buffer.concat([header, question]);
    const record = Buffer.alloc(16);
    record.writeUInt16BE(0xc00c, 0);
    record.writeUInt16BE(1, 2);
    record.writeUInt16BE(1, 4);
    record.writeUInt32BE(60, 6);
    record.writeUInt16BE(4, 10);
    address.split(".").forEach((octet, i) => record.writeUInt8(Number(octet), 12 + i));
    return Buffer.concat([header, question, record]);
}
