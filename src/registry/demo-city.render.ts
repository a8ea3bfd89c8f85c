import { accrualPoint, dayText, instantMs, type RegionCalendar } from './demo-city.calendar.ts';
import {
  type AccountDraft,
  CHANNEL_WEIGHTS,
  CHANNELS,
  type HouseDraft,
  type MeterDraft,
} from './demo-city.generator.ts';
import { between, pick, pickIndex, type Rng, weights } from './demo-city.random.ts';

/**
 * Turns house drafts into PostgreSQL COPY text rows (text format: tab-separated, \N for NULL) with the ids
 * reserved from the tables' identity sequences, and writes each meter's year of readings (domain.md §4):
 * taken inside the window of the period they count for, cumulative per register, wrapping at 10^digits kWh.
 */

export const COPY_COLUMNS = {
  house:
    'id, code, region_code, management_company_id, address, kind, stove_type, settlement_type, total_area_m2, common_area_m2, common_needs_mode',
  premises: 'id, house_id, number, is_residential, area_m2, rooms, residents',
  account:
    'id, number, premises_id, principal_id, payer_name, email, tariff_category, status, start_date, meter_installation_possible',
  account_phone: 'account_id, phone',
  meter:
    'id, serial, model, kind, house_id, account_id, zones, digits, decimals, installed_on, commissioned_on, commissioning_act, initial_values_wh, next_verification_on, smart, head_end_id, status, failure_reason, failed_on',
  reading:
    'meter_id, account_id, values_wh, consumption_wh, rollover, taken_at, received_at, channel, submitted_by, period, billed_in_period, status',
} as const;

export type CopyTable = keyof typeof COPY_COLUMNS;

export interface ChunkIds {
  house: number[];
  premises: number[];
  account: number[];
  meter: number[];
}

export interface ChunkCounts {
  houses: number;
  premises: number;
  accounts: number;
  phones: number;
  meters: number;
  commonMeters: number;
  readings: number;
}

export interface SeedSample {
  kind: string;
  account: string;
  meterSerial: string;
  note: string;
}

/** The first account of each interesting kind, for demos and manual testing. */
export class SampleCollector {
  private readonly found = new Map<string, SeedSample>();

  offer(kind: string, account: AccountDraft, meterSerial: string, note: () => string): void {
    if (!this.found.has(kind))
      this.found.set(kind, { kind, account: account.number, meterSerial, note: note() });
  }

  list(): SeedSample[] {
    return [...this.found.values()];
  }
}

/** Who submitted a seeded reading (the `submitted_by` column). */
export const SEED_SUBMITTER = 'seed';

const N = '\\N';
const PAD = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));
const MS_PER_DAY = 86_400_000;

/** A UTC timestamp for COPY: '2025-06-20 18:23:11+00'. */
function formatInstant(ms: number): string {
  const day = Math.floor(ms / MS_PER_DAY);
  const s = Math.floor((ms - day * MS_PER_DAY) / 1000);
  return `${dayText(day)} ${PAD[Math.floor(s / 3600)]}:${PAD[Math.floor(s / 60) % 60]}:${PAD[s % 60]}+00`;
}

function area(centi: number): string {
  return `${Math.floor(centi / 100)}.${PAD[centi % 100]}`;
}

function bool(b: boolean): string {
  return b ? 't' : 'f';
}

/** People submit from morning to late evening, most in the evening (hours 7..22, local time). */
const HOURS = weights([2, 4, 5, 5, 5, 5, 5, 5, 5, 5, 6, 8, 10, 10, 8, 5]);

function humanSeconds(rng: Rng, channel: string): number {
  const hour = channel === 'inspector' ? between(rng, 10, 16) : 7 + pickIndex(rng, HOURS);
  return hour * 3600 + between(rng, 0, 3599);
}

/** Seconds from the moment of taking to the moment the reading reached us, by channel. */
function deliveryDelay(rng: Rng, channel: string): number {
  switch (channel) {
    case 'sms':
      return between(rng, 5, 300);
    case 'email':
      return between(rng, 60, 3600);
    case 'ivr':
    case 'terminal':
      return between(rng, 30, 600);
    case 'paper':
      return between(rng, 1, 4) * 86_400 + between(rng, 0, 3600);
    case 'inspector':
      return between(rng, 1, 3) * 86_400;
    default:
      return between(rng, 20, 900);
  }
}

export class ChunkRenderer {
  readonly rows: Record<CopyTable, string[]> = {
    house: [],
    premises: [],
    account: [],
    account_phone: [],
    meter: [],
    reading: [],
  };
  readonly counts: ChunkCounts = {
    houses: 0,
    premises: 0,
    accounts: 0,
    phones: 0,
    meters: 0,
    commonMeters: 0,
    readings: 0,
  };
  private next = { house: 0, premises: 0, account: 0, meter: 0 };

  constructor(
    private readonly ids: ChunkIds,
    private readonly samples: SampleCollector,
  ) {}

  private id(table: keyof ChunkIds): number {
    const id = this.ids[table][this.next[table]++];
    if (id === undefined) throw new Error(`not enough ${table} ids reserved`);
    return id;
  }

  renderHouse(h: HouseDraft): void {
    const houseId = this.id('house');
    this.counts.houses++;
    this.rows.house.push(
      `${houseId}\t${h.code}\t${h.region.code}\t${h.managementCompanyId ?? N}\t${h.address}\t${h.kind}\t${h.stove}\t${h.settlement}\t${area(h.totalAreaCenti)}\t${area(h.commonAreaCenti)}\t${h.commonNeedsMode}\n`,
    );
    let firstAccount: AccountDraft | undefined;
    for (const p of h.premises) {
      const premisesId = this.id('premises');
      this.counts.premises++;
      this.rows.premises.push(
        `${premisesId}\t${houseId}\t${p.number}\t${bool(p.residential)}\t${area(p.areaCenti)}\t${p.rooms}\t${p.residents}\n`,
      );
      const a = p.account;
      if (!a) continue;
      firstAccount ??= a;
      const accountId = this.id('account');
      this.counts.accounts++;
      this.rows.account.push(
        `${accountId}\t${a.number}\t${premisesId}\t${h.region.principalId}\t${a.payerName}\t${a.email ?? N}\t${a.category}\tactive\t${dayText(a.startDay)}\t${bool(a.installationPossible)}\n`,
      );
      for (const phone of a.phones) this.rows.account_phone.push(`${accountId}\t${phone}\n`);
      this.counts.phones += a.phones.length;
      if (a.meter) {
        const meterId = this.meterRow(a.meter, houseId, accountId);
        this.renderReadings(h, a.meter, meterId, accountId, a);
      }
      this.offerSamples(h, a);
    }
    if (h.commonMeter) {
      const meterId = this.meterRow(h.commonMeter, houseId, undefined);
      this.counts.commonMeters++;
      this.renderReadings(h, h.commonMeter, meterId, undefined, undefined);
      if (firstAccount && h.commonNeedsMode !== 'none') {
        this.samples.offer(`common-meter-${h.commonNeedsMode}`, firstAccount, h.commonMeter.serial, () =>
          h.commonNeedsMode === 'full'
            ? `Дом с общедомовым счётчиком, ОДН распределяет поставщик (${h.address})`
            : `Дом с общедомовым счётчиком, ОДН сверх норматива платит УК (${h.address})`,
        );
      }
    }
  }

  private meterRow(m: MeterDraft, houseId: number, accountId: number | undefined): number {
    const meterId = this.id('meter');
    this.counts.meters++;
    this.rows.meter.push(
      `${meterId}\t${m.serial}\t${m.model}\t${m.common ? 'common' : 'individual'}\t${houseId}\t${accountId ?? N}\t${m.zones}\t${m.digits}\t${m.decimals}\t${dayText(m.installedDay)}\t${dayText(m.commissionedDay)}\t${m.act}\t{${m.initialWh.join(',')}}\t${dayText(m.nextVerificationDay)}\t${bool(m.smart)}\t${m.headEndId ?? N}\t${m.status}\t${m.failureReason ?? N}\t${m.status === 'failed' ? dayText(m.untilDay) : N}\n`,
    );
    return meterId;
  }

  /**
   * One reading per period slot (unless the payer skips or stopped, or the meter was not valid then): taken
   * on a window day in local time, received a little later, never after `now`. The first reading's
   * consumption counts from the commissioning act (a meter commissioned within the year) or from the
   * register a month earlier (history older than the generated year is not written).
   */
  private renderReadings(
    h: HouseDraft,
    m: MeterDraft,
    meterId: number,
    accountId: number | undefined,
    a: AccountDraft | undefined,
  ): void {
    const cal = h.region.calendar;
    const rng = h.rng;
    const accountText = accountId === undefined ? N : String(accountId);
    let previous: number[] | undefined;
    for (const slot of cal.slots) {
      let channel: string;
      let day: number;
      let seconds: number;
      if (a && (slot.index >= a.stopBefore || (a.skipMask & (1 << slot.index)) !== 0)) continue;
      if (m.smart) {
        channel = 'smart';
        day = slot.days[Math.min(m.smartDayOffset, slot.days.length - 1)]!;
        seconds = between(rng, 0, 1800);
      } else if (!a) {
        channel = 'inspector';
        day = slot.days[slot.days.length - 1]!;
        seconds = between(rng, 10 * 3600, 16 * 3600);
      } else {
        channel = rng() < 0.8 ? CHANNELS[a.channel]! : CHANNELS[pickIndex(rng, CHANNEL_WEIGHTS)]!;
        day = pick(rng, slot.days);
        seconds = humanSeconds(rng, channel);
      }
      const delay = channel === 'smart' ? between(rng, 30, 1800) : deliveryDelay(rng, channel);
      if (day <= m.commissionedDay || day >= m.untilDay || (a && day < a.startDay)) continue;
      const taken = instantMs(cal, day, seconds);
      const received = taken + delay * 1000;
      if (received > cal.nowMs) continue;
      const values = registerValues(m, cal, day, seconds);
      previous ??= m.fresh ? m.initialWh : registerValues(m, cal, day - 30, seconds);
      let rollover = false;
      let consumption = '';
      for (let z = 0; z < m.zones; z++) {
        let d = values[z]! - previous[z]!;
        if (d < 0) {
          d += m.modulusWh;
          rollover = true;
        }
        consumption += z === 0 ? String(d) : `,${d}`;
      }
      this.rows.reading.push(
        `${meterId}\t${accountText}\t{${values.join(',')}}\t{${consumption}}\t${bool(rollover)}\t${formatInstant(taken)}\t${formatInstant(received)}\t${channel}\t${SEED_SUBMITTER}\t${slot.period}\t${slot.period}\taccepted\n`,
      );
      this.counts.readings++;
      if (rollover && a)
        this.samples.offer(
          'rollover',
          a,
          m.serial,
          () => `Переход показаний через ноль (${m.digits} разрядов) в периоде ${slot.period}`,
        );
      previous = values;
    }
  }

  private offerSamples(h: HouseDraft, a: AccountDraft): void {
    const m = a.meter;
    const s = this.samples;
    if (!m) {
      if (a.installationPossible)
        s.offer(
          'no-meter',
          a,
          '',
          () => 'Счётчика нет, установка возможна: норматив с повышающим коэффициентом',
        );
      else
        s.offer(
          'no-meter-impossible',
          a,
          '',
          () => 'Счётчика нет, установка невозможна (акт): норматив без коэффициента',
        );
      return;
    }
    if (m.expired)
      s.offer(
        'verification-expired',
        a,
        m.serial,
        () => `Срок поверки истёк ${dayText(m.nextVerificationDay)}`,
      );
    if (m.status === 'failed')
      s.offer('meter-failed', a, m.serial, () => `Счётчик неисправен: ${m.failureReason}`);
    if (m.fresh)
      s.offer(
        'new-meter',
        a,
        m.serial,
        () => `Счётчик введён в эксплуатацию ${dayText(m.commissionedDay)}, начальные показания из акта`,
      );
    if (a.behaviour === 'skipper')
      s.offer('skips-months', a, m.serial, () => 'Иногда пропускает подачу показаний');
    if (a.behaviour === 'stopped')
      s.offer('stopped-submitting', a, m.serial, () => 'Перестал подавать показания 4 и более месяцев назад');
    const clean = a.behaviour === 'regular' && m.status === 'active' && !m.expired && !m.fresh;
    if (!clean) return;
    const where = h.region.code === 'moscow' ? 'Москва' : 'Якутия';
    if (h.region.code === 'yakutia')
      s.offer(
        'yakutia',
        a,
        m.serial,
        () => `Якутия: показания принимаются с 1 по 10 число за прошлый месяц (${h.address})`,
      );
    if (m.smart)
      s.offer(
        'smart',
        a,
        m.serial,
        () => `Интеллектуальный счётчик ${m.model}, показания передаются автоматически`,
      );
    else if (m.zones === 1 && a.category === 'gas_stove')
      s.offer('single-zone', a, m.serial, () => `Однотарифный счётчик, газовая плита, ${where}`);
    else if (m.zones === 2) s.offer('two-zone', a, m.serial, () => 'Двухзонный счётчик: T1 день, T2 ночь');
    else if (m.zones === 3)
      s.offer('three-zone', a, m.serial, () => 'Трёхзонный счётчик: T1 пик, T2 ночь, T3 полупик');
    if (a.category === 'electric_stove')
      s.offer('electric-stove', a, m.serial, () => `Электроплита, ${where}`);
    if (a.category === 'rural')
      s.offer('rural', a, m.serial, () => `Частный дом в сельской местности (${h.address})`);
    if (a.category === 'equated')
      s.offer('non-residential', a, m.serial, () => 'Нежилое помещение, тариф «приравненные к населению»');
    if (a.phones.length > 0)
      s.offer('phone-linked', a, m.serial, () => `Привязан телефон ${a.phones[0]} (голосовое меню, SMS)`);
    if (a.email) s.offer('email', a, m.serial, () => `Электронная почта ${a.email}`);
  }
}

/** The registers as displayed at `seconds` after local midnight of `day`: whole steps, wrapped. */
function registerValues(m: MeterDraft, cal: RegionCalendar, day: number, seconds: number): number[] {
  const { month, frac } = accrualPoint(cal, day, seconds);
  const out: number[] = [];
  for (let z = 0; z < m.zones; z++) {
    const a = m.cumulative[month * m.zones + z]!;
    const b = m.cumulative[(month + 1) * m.zones + z]!;
    const wh = m.base[z]! + a + (b - a) * frac;
    out.push((Math.floor(wh / m.quantumWh) * m.quantumWh) % m.modulusWh);
  }
  return out;
}
