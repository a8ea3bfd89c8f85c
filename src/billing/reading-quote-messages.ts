import { formatMoney } from '../domain/money.ts';
import { formatKwh } from '../domain/register-value.ts';
import { formatDate, formatPeriod, type Lang, ZONE_LABELS } from '../i18n/format.ts';
import type { ReadingQuote } from './reading-quote-types.ts';

/** What the subscriber reads next to the "pay by readings" quote (domain.md §9), Russian and English. */

type QuoteFacts = Omit<ReadingQuote, 'message' | 'messageEn' | 'explanation'>;

const money = (kopecks: number, lang: Lang) => formatMoney(kopecks, lang);
const kwh = (wh: number, lang: Lang) => (lang === 'ru' ? formatKwh(wh).replace('.', ',') : formatKwh(wh));
/** Ends a sentence with one full stop: a Russian date already ends with "г.". */
const sentence = (text: string) => (text.endsWith('.') ? text : `${text}.`);

export function quoteExplanation(q: QuoteFacts, lang: Lang): string[] {
  const ru = lang === 'ru';
  const period = formatPeriod(q.period, lang);
  const out: string[] = [];
  const values = q.registers
    .map((r) => {
      const name =
        q.registers.length === 1 ? '' : `T${r.register} (${ZONE_LABELS[r.zone]?.[lang] ?? r.zone}) `;
      const used =
        r.consumptionWh === null
          ? ''
          : `, ${ru ? 'расход' : 'consumption'} ${kwh(r.consumptionWh, lang)} ${ru ? 'кВт·ч' : 'kWh'}`;
      return `${name}${r.previous} → ${r.current}${used}`;
    })
    .join('; ');
  out.push(ru ? `Показания за ${period}: ${values}.` : `Readings for ${period}: ${values}.`);
  if (q.rollover) out.push(ru ? 'Учтён переход счётчика через ноль.' : 'The meter rolled over past zero.');
  out.push(
    ru
      ? `Начисление за ${period} по действующим тарифам: ${money(q.chargeKopecks, lang)}.`
      : `Charge for ${period} at the tariffs in force: ${money(q.chargeKopecks, lang)}.`,
  );
  const recalc = q.lines.filter((l) => l.kind === 'recalculation');
  if (recalc.length > 0) {
    const periods = [...new Set(recalc.flatMap((l) => l.periods).filter((p) => p !== q.period))]
      .map((p) => formatPeriod(p, lang))
      .join(', ');
    const sum = money(
      recalc.reduce((s, l) => s + l.amountKopecks, 0),
      lang,
    );
    out.push(
      ru
        ? `В том числе перерасчёт начисленного ранее по среднему или нормативу (${periods}): ${sum}.`
        : `Including a recalculation of earlier estimated periods (${periods}): ${sum}.`,
    );
  }
  if (q.commonNeeds.fromPeriod !== null && q.commonNeeds.amountKopecks !== 0) {
    const from = formatPeriod(q.commonNeeds.fromPeriod, lang);
    out.push(
      ru
        ? `Общедомовые нужды — оценка по счёту за ${from}: ${money(q.commonNeeds.amountKopecks, lang)}; в счёте сумма может быть уточнена.`
        : `Common-house needs, estimated from the bill for ${from}: ${money(q.commonNeeds.amountKopecks, lang)}; the bill may differ.`,
    );
  }
  const asOf = formatDate(q.balance.asOf, lang);
  const b = q.balance;
  if (b.balanceKopecks > 0) {
    const penalties =
      b.penaltyKopecks > 0
        ? ru
          ? `, в том числе пени ${money(b.penaltyKopecks, lang)}`
          : `, penalties ${money(b.penaltyKopecks, lang)} included`
        : '';
    out.push(
      ru
        ? `Задолженность на ${asOf}: ${money(b.balanceKopecks, lang)}${penalties}.`
        : `Debt as of ${asOf}: ${money(b.balanceKopecks, lang)}${penalties}.`,
    );
  } else if (b.balanceKopecks < 0) {
    out.push(
      ru
        ? `Переплата (аванс) на ${asOf}: ${money(-b.balanceKopecks, lang)} — она уменьшает сумму.`
        : `Advance (overpayment) as of ${asOf}: ${money(-b.balanceKopecks, lang)}, which reduces the amount.`,
    );
  }
  out.push(
    ru ? `К оплате: ${money(q.amountToPayKopecks, lang)}.` : `To pay: ${money(q.amountToPayKopecks, lang)}.`,
  );
  const deliverBy = formatDate(q.bill.deliverBy, lang);
  const due = formatDate(q.bill.dueDate, lang);
  out.push(
    ru
      ? `${sentence(`Показания войдут в счёт за ${period}: он будет сформирован до ${deliverBy}, срок оплаты — до ${due}`)} Платёж будет учтён в этом счёте.`
      : `The readings go into the bill for ${period}, issued by ${deliverBy} and due by ${due}. The payment counts towards it.`,
  );
  return out;
}

export interface WindowClosedParams {
  opens: string;
  closes: string;
  fromDay: number;
  toDay: number;
  amountDueKopecks: number;
}

/** §4.3 / §9: outside the window there is no pay by readings; the subscriber pays the bill's amount. */
export function windowClosedMessage(p: WindowClosedParams): { ru: string; en: string } {
  const ruDue =
    p.amountDueKopecks > 0
      ? ` Оплатите сумму по счёту: задолженность сейчас ${money(p.amountDueKopecks, 'ru')}.`
      : ' Оплатите сумму по выставленному счёту.';
  const enDue =
    p.amountDueKopecks > 0
      ? ` Please pay the bill amount instead: ${money(p.amountDueKopecks, 'en')} is due now.`
      : ' Please pay the amount of your bill instead.';
  return {
    ru: `Оплата по показаниям доступна с ${p.fromDay} по ${p.toDay} число месяца. ${sentence(`Ближайший период: ${formatDate(p.opens, 'ru')} — ${formatDate(p.closes, 'ru')}`)}${ruDue}`,
    en: `Pay by readings is open from day ${p.fromDay} to day ${p.toDay} of the month. Next window: ${formatDate(p.opens, 'en')} — ${formatDate(p.closes, 'en')}.${enDue}`,
  };
}
