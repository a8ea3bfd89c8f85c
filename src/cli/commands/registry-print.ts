import { formatKwh } from '../../domain/register-value.ts';
import { ZONE_LABELS } from '../../i18n/format.ts';
import type { AccountHit } from '../../registry/account.repository.ts';
import type { AccountCard } from '../../registry/account.service.ts';
import type { HouseView } from '../../registry/house.service.ts';
import type { ReplacementResult } from '../../registry/meter-replacement.service.ts';
import type { MeterView } from '../../registry/meter-view.ts';
import type { NormView, TariffView } from '../../registry/tariff.service.ts';

/** Human-readable (Russian) renderings of registry results for the `abonent` command; --json prints the data. */

const STATUS_RU: Record<string, string> = {
  active: 'действует',
  closed: 'закрыт',
  failed: 'неисправен',
  removed: 'снят',
};
const VALIDITY_RU: Record<string, string> = {
  METER_FAILED: 'неисправен',
  METER_REMOVED: 'снят с учёта',
  METER_NOT_COMMISSIONED: 'не введён в эксплуатацию',
  METER_VERIFICATION_EXPIRED: 'истёк срок поверки',
};

const zoneLabel = (z: string) => ZONE_LABELS[z]?.ru ?? z;
const status = (s: string) => STATUS_RU[s] ?? s;

export function meterLines(m: MeterView): string[] {
  const zones = m.zoneNames.map((z, i) => `T${i + 1} ${zoneLabel(z)}`).join(', ');
  const validity = m.validity.valid
    ? `действителен на ${m.validity.on}`
    : `недействителен на ${m.validity.on}: ${VALIDITY_RU[m.validity.reason ?? ''] ?? m.validity.reason}`;
  const lines = [
    `  ${m.serial}  ${m.model || '—'}  ${m.kind === 'common' ? 'ОДПУ' : 'ИПУ'}  ${status(m.status)}`,
    `    зоны: ${zones}; разрядность ${m.digits}${m.decimals ? ` (+${m.decimals} после запятой)` : ''}; поверка до ${m.nextVerificationOn}; ${validity}`,
    `    установлен ${m.installedOn}, введён ${m.commissionedOn ?? '—'}${m.commissioningAct ? ` (акт ${m.commissioningAct})` : ''}, начальные ${m.initialValues.join(' / ')}`,
  ];
  if (m.failureReason) lines.push(`    неисправность: ${m.failureReason}`);
  if (m.removedOn) lines.push(`    снят ${m.removedOn}${m.replacedBy ? `, заменён на ${m.replacedBy}` : ''}`);
  if (m.replaces) lines.push(`    заменил счётчик ${m.replaces}`);
  if (m.smart) lines.push(`    интеллектуальный, id в системе сбора: ${m.headEndId}`);
  lines.push(
    m.lastReading
      ? `    последние принятые показания: ${m.lastReading.values.join(' / ')} за ${m.lastReading.period} (${m.lastReading.kind}, ${m.lastReading.channel}, ${m.lastReading.takenAt})`
      : '    принятых показаний нет',
  );
  return lines;
}

export function accountCardLines(c: AccountCard): string[] {
  const a = c.account;
  const p = c.premises;
  const h = c.house;
  return [
    `Лицевой счёт ${a.number} — ${status(a.status)}${a.endDate ? ` с ${a.endDate}` : ''} (открыт ${a.startDate})`,
    `Плательщик: ${a.payerName}`,
    `Адрес: ${h.address}, помещение ${p.number} (дом ${h.code}, регион ${c.region.code} — ${c.region.name})`,
    `Помещение: ${p.isResidential ? 'жилое' : 'нежилое'}, ${p.areaM2} м², комнат ${p.rooms}, зарегистрировано ${p.residents}`,
    `Дом: плиты ${h.stoveType === 'gas' ? 'газовые' : 'электрические'}, ${h.settlementType === 'rural' ? 'сельский' : 'городской'} н. п., ОДН: ${h.commonNeedsMode}${h.managementCompany ? `, УК ${h.managementCompany.name} (${h.managementCompany.code})` : ''}`,
    `Тарифная категория: ${a.tariffCategory}${a.meterInstallationPossible ? '' : '; установка ПУ невозможна'}`,
    `Поставщик: ${c.principal.name} (${c.principal.code})`,
    `Телефоны: ${a.phones.length ? a.phones.join(', ') : '—'}; e-mail: ${a.email ?? '—'}`,
    `Счётчики (на ${c.asOf}):`,
    ...(c.meters.length ? c.meters.flatMap(meterLines) : ['  нет']),
  ];
}

export function accountHitLines(hits: AccountHit[]): string[] {
  if (hits.length === 0) return ['Ничего не найдено / nothing found'];
  return hits.map(
    (h) =>
      `${h.number}  ${status(h.status).padEnd(9)}  ${h.payerName}  —  ${h.address}, пом. ${h.premises}  [${h.matchedBy}]`,
  );
}

export function houseLines(houses: HouseView[]): string[] {
  if (houses.length === 0) return ['Домов нет / no houses'];
  return houses.map(
    (h) =>
      `${h.code.padEnd(16)} ${h.region.padEnd(10)} ${h.address}  (помещений ${h.premisesCount}, ${h.stoveType}, ОДН ${h.commonNeedsMode}${h.managementCompany ? `, УК ${h.managementCompany}` : ''})`,
  );
}

export function replacementLines(r: ReplacementResult): string[] {
  const f = r.finalReading;
  return [
    `Счётчик ${r.oldMeter.serial} заменён на ${r.newMeter.serial} (${r.replacedAt}${r.actNumber ? `, акт ${r.actNumber}` : ''})`,
    `Конечные показания ${f.values.join(' / ')} за ${f.period}${f.recalculation ? ` (перерасчёт в ${f.billedInPeriod})` : ''}; расход с прошлых показаний ${f.consumptionWh.map(formatKwh).join(' / ')} кВт·ч`,
    `Новый счётчик введён ${r.newMeter.commissionedOn}, начальные показания ${r.newMeter.initialValues.join(' / ')}, поверка до ${r.newMeter.nextVerificationOn}`,
  ];
}

export function tariffLines(list: TariffView[]): string[] {
  if (list.length === 0) return ['Тарифов на эту дату нет / no tariffs in force'];
  return list.map((t) => {
    const range =
      t.rangeFromKwh === 0 && t.rangeToKwh === null ? '' : ` ${t.rangeFromKwh}–${t.rangeToKwh ?? '∞'} кВт·ч`;
    return `${t.region.padEnd(10)} ${t.category.padEnd(15)} ${t.meterType.padEnd(11)} ${zoneLabel(t.zone).padEnd(14)}${range}  ${t.price} руб./кВт·ч  с ${t.effectiveFrom}${t.illustrative ? ' (пример)' : ''}`;
  });
}

export function normLines(list: NormView[]): string[] {
  if (list.length === 0) return ['Нормативов на эту дату нет / no norms in force'];
  return list.map(
    (n) =>
      `${n.region.padEnd(10)} плиты ${n.stoveType.padEnd(9)} комнат ${n.rooms}, проживающих ${n.residents}: ${n.kwhPerPerson} кВт·ч на человека с ${n.effectiveFrom}${n.illustrative ? ' (пример)' : ''}`,
  );
}
