import { formatKwh } from '../domain/register-value.ts';
import { formatDate, formatPeriod, type Lang, ZONE_LABELS } from '../i18n/format.ts';
import { reasonMessage } from '../i18n/reading-messages.ts';
import type { IntakeResult } from './intake-result.ts';

/** The subscriber's answer: what was accepted, for which period, which bill it goes into (domain.md §4). */
export function outcomeMessage(r: IntakeResult, lang: Lang): string {
  if (r.outcome === 'invalid' || r.outcome === 'rejected') {
    const refused = lang === 'ru' ? 'Показания не приняты.' : 'Reading not accepted.';
    return `${refused} ${reasonMessage(r.reason?.code ?? '', r.reason?.params ?? {}, lang)}`.replace(
      / г\.\./g,
      ' г.',
    );
  }
  const values = r.values
    .map((v) => {
      const name = ZONE_LABELS[v.zone]?.[lang] ?? v.zone;
      return r.values.length === 1 ? v.value : `T${v.register} (${name}) ${v.value}`;
    })
    .join(', ');
  const used = r.values.reduce((a, v) => a + (v.consumptionWh ?? 0), 0);
  const period = formatPeriod(r.period ?? '', lang);
  const billPeriod = formatPeriod(r.billedInPeriod ?? '', lang);
  const deliveredBy = formatDate(r.billDeliveredBy ?? '', lang);
  const parts: string[] = [];
  if (lang === 'ru') {
    parts.push(
      r.outcome === 'held'
        ? `Показания ${values} за ${period} получены.`
        : `Показания ${values} приняты за ${period}. Расход с прошлых показаний: ${formatKwh(used)} кВт·ч.`,
    );
    if (r.replacesReadingId && r.outcome === 'accepted')
      parts.push('Они заменяют показания, переданные ранее за этот период.');
    if (r.rollover) parts.push('Учтён переход счётчика через ноль.');
    if (r.outcome === 'held') parts.push(reasonMessage('HIGH_CONSUMPTION', {}, lang));
    else if (r.recalculation) {
      parts.push(
        `Счёт за ${period} уже сформирован: показания будут учтены перерасчётом в счёте за ${billPeriod} (до ${deliveredBy}).`,
      );
    } else parts.push(`Они войдут в счёт за ${billPeriod}, он будет сформирован до ${deliveredBy}.`);
  } else {
    parts.push(
      r.outcome === 'held'
        ? `Reading ${values} for ${period} received.`
        : `Reading ${values} accepted for ${period}. Consumption since the previous reading: ${formatKwh(used)} kWh.`,
    );
    if (r.replacesReadingId && r.outcome === 'accepted')
      parts.push('It replaces the reading submitted earlier for this period.');
    if (r.rollover) parts.push('The meter rolled over past zero.');
    if (r.outcome === 'held') parts.push(reasonMessage('HIGH_CONSUMPTION', {}, lang));
    else if (r.recalculation) {
      parts.push(
        `The bill for ${period} is already issued: the reading will be a recalculation in the bill for ${billPeriod} (by ${deliveredBy}).`,
      );
    } else parts.push(`It goes into the bill for ${billPeriod}, issued by ${deliveredBy}.`);
  }
  // "за ноябрь 2026 г." ends a sentence: one full stop, not two.
  return parts.join(' ').replace(/ г\.\./g, ' г.');
}
