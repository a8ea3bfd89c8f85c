/**
 * windows-1251 bytes of a text, as Russian banks send their registries. Node decodes windows-1251 but
 * cannot encode it: the table is Node's own decoder inverted (every byte 0x80–0xFF and the character it
 * stands for), so encoding and decoding agree by construction. A character windows-1251 lacks throws.
 */
const decoder = new TextDecoder('windows-1251');
const BYTE_OF = new Map<number, number>();
for (let b = 0x80; b <= 0xff; b++) {
  const c = decoder.decode(Uint8Array.of(b)).codePointAt(0)!;
  if (c !== 0xfffd && !BYTE_OF.has(c)) BYTE_OF.set(c, b);
}

export function encodeCp1251(text: string): Buffer {
  const out: number[] = [];
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    const b = c < 0x80 ? c : BYTE_OF.get(c);
    if (b === undefined) throw new Error(`no windows-1251 byte for "${ch}" (U+${c.toString(16)})`);
    out.push(b);
  }
  return Buffer.from(out);
}
