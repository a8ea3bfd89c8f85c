/** The OSMP answer: `<response>` with osmp_txn_id, prv_txn, sum, result, comment, and check's fields. */
export interface OsmpAnswer {
  txnId: string | undefined;
  prvTxn?: number;
  sumKopecks?: number;
  result: number;
  comment: string;
  fields?: { name: string; value: string }[];
}

export function renderOsmpXml(a: OsmpAnswer): string {
  const parts = ['<?xml version="1.0" encoding="UTF-8"?>', '<response>'];
  if (a.txnId !== undefined) parts.push(`<osmp_txn_id>${escapeXml(a.txnId)}</osmp_txn_id>`);
  if (a.prvTxn !== undefined) parts.push(`<prv_txn>${a.prvTxn}</prv_txn>`);
  if (a.sumKopecks !== undefined) parts.push(`<sum>${rubles(a.sumKopecks)}</sum>`);
  parts.push(`<result>${a.result}</result>`);
  if (a.fields && a.fields.length > 0) {
    parts.push('<fields>');
    a.fields.forEach((f, i) => {
      parts.push(`<field${i + 1} name="${escapeXml(f.name)}">${escapeXml(f.value)}</field${i + 1}>`);
    });
    parts.push('</fields>');
  }
  parts.push(`<comment>${escapeXml(a.comment)}</comment>`, '</response>');
  return parts.join('');
}

export function rubles(kopecks: number): string {
  const sign = kopecks < 0 ? '-' : '';
  const abs = Math.abs(kopecks);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (c) =>
    c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '&' ? '&amp;' : c === '"' ? '&quot;' : '&apos;',
  );
}
