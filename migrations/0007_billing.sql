-- Billing (domain.md §5–§8): runs split into units by house, leased from PostgreSQL; bills immutable once
-- issued, numbered and versioned; the volumes each bill charged, for later averages and true-ups (§6.1, §6.4).

-- One billing run per region and period. `generation` grows with each repeat of the draft run.
CREATE TABLE billing_run (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  region_code  text NOT NULL REFERENCES region(code),
  period       period_text NOT NULL,
  generation   integer NOT NULL DEFAULT 1,
  created_at   timestamptz NOT NULL DEFAULT now(),
  repeated_at  timestamptz,
  issued_at    timestamptz,
  UNIQUE (region_code, period)
);

-- A unit of work: one house. A worker locks pending units with FOR UPDATE SKIP LOCKED and bills them in the
-- same transaction, so a killed worker's units return to the pool when its connection drops.
CREATE TABLE billing_unit (
  run_id       bigint NOT NULL REFERENCES billing_run(id),
  house_id     bigint NOT NULL REFERENCES house(id),
  accounts     integer NOT NULL,
  generation   integer NOT NULL DEFAULT 0,
  status       text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done')),
  billed       integer NOT NULL DEFAULT 0,
  unchanged    integer NOT NULL DEFAULT 0,
  problems     integer NOT NULL DEFAULT 0,
  worker       text,
  done_at      timestamptz,
  PRIMARY KEY (run_id, house_id)
);
CREATE INDEX billing_unit_pending_idx ON billing_unit (run_id, house_id) WHERE status = 'pending';

-- Accounts a unit could not bill, with the reason (bad input is reported, the rest is billed).
CREATE TABLE billing_problem (
  run_id      bigint NOT NULL,
  house_id    bigint NOT NULL,
  account_id  bigint REFERENCES account(id),
  code        text NOT NULL,
  message     text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (run_id, house_id) REFERENCES billing_unit(run_id, house_id)
);
CREATE INDEX billing_problem_unit_idx ON billing_problem (run_id, house_id);

-- §7 per house and run: the common volume, the cap, the excess charged to the management company and the
-- log (a negative common volume is logged here). Rewritten with its unit while the run is a draft.
CREATE TABLE common_needs_result (
  run_id                      bigint NOT NULL,
  house_id                    bigint NOT NULL,
  mode                        text NOT NULL CHECK (mode IN ('full', 'capped')),
  method                      text NOT NULL CHECK (method IN ('meter', 'norm')),
  common_volume_wh            bigint NOT NULL,
  house_cap_wh                bigint,
  distributed_wh              bigint NOT NULL,
  negative_wh                 bigint NOT NULL,
  management_company_id       bigint REFERENCES management_company(id),
  management_company_wh       bigint NOT NULL,
  management_company_kopecks  bigint NOT NULL,
  log                         jsonb NOT NULL,
  PRIMARY KEY (run_id, house_id),
  FOREIGN KEY (run_id, house_id) REFERENCES billing_unit(run_id, house_id)
);

-- A bill version. Drafts may be superseded by a later draft of the same run; an issued bill never changes.
CREATE TABLE bill (
  id                      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  number                  text NOT NULL,
  version                 integer NOT NULL CHECK (version >= 1),
  account_id              bigint NOT NULL REFERENCES account(id),
  period                  period_text NOT NULL,
  run_id                  bigint NOT NULL REFERENCES billing_run(id),
  house_id                bigint NOT NULL REFERENCES house(id),
  status                  text NOT NULL CHECK (status IN ('draft', 'issued', 'superseded')),
  content_sha256          text NOT NULL,
  charged_kopecks         bigint NOT NULL,
  recalculation_kopecks   bigint NOT NULL,
  common_needs_kopecks    bigint NOT NULL,
  balance_forward_kopecks bigint NOT NULL DEFAULT 0,
  payments_kopecks        bigint NOT NULL DEFAULT 0,
  penalties_kopecks       bigint NOT NULL DEFAULT 0,
  amount_due_kopecks      bigint NOT NULL,
  deliver_by              date NOT NULL,
  due_date                date NOT NULL,
  document                jsonb NOT NULL,
  created_at              timestamptz NOT NULL DEFAULT now(),
  issued_at               timestamptz,
  UNIQUE (account_id, period, version),
  UNIQUE (number, version)
);
CREATE UNIQUE INDEX bill_current_uq ON bill (account_id, period) WHERE status <> 'superseded';
CREATE INDEX bill_run_idx ON bill (run_id, house_id) WHERE status = 'draft';
CREATE INDEX bill_period_idx ON bill (period, status);

-- The volumes a bill charged, per meter (or none): the history later averages (§6.1 item 3) and true-ups
-- (§6.4) read. `metered_known` false: the period is not comparable per zone (a replaced meter of another
-- zone count, §3). `current_*`: the register values the bill measured, the next bill's "previous".
CREATE TABLE bill_volume (
  bill_id            bigint NOT NULL REFERENCES bill(id),
  account_id         bigint NOT NULL,
  period             period_text NOT NULL,
  meter_id           bigint REFERENCES meter(id),
  source             text NOT NULL CHECK (source IN ('actual', 'smart', 'control', 'average', 'norm')),
  zones_wh           bigint[] NOT NULL,
  single_rate_wh     bigint NOT NULL,
  metered_known      boolean NOT NULL DEFAULT true,
  metered_from       period_text,
  metered_zones_wh   bigint[],
  current_values_wh  bigint[],
  current_period     period_text,
  current_reading_id bigint
);
CREATE INDEX bill_volume_account_idx ON bill_volume (account_id, period);
CREATE INDEX bill_volume_bill_idx ON bill_volume (bill_id);

-- Issued bills are facts: no change but nothing, no deletion. Drafts may only become issued or superseded.
CREATE FUNCTION bill_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'bills are never deleted' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF OLD.status <> 'draft' THEN
    RAISE EXCEPTION 'bill % version % is % and never changes', OLD.number, OLD.version, OLD.status
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF NEW.status NOT IN ('issued', 'superseded')
     OR (NEW.number, NEW.version, NEW.account_id, NEW.period, NEW.content_sha256, NEW.amount_due_kopecks,
         NEW.document)
        IS DISTINCT FROM
        (OLD.number, OLD.version, OLD.account_id, OLD.period, OLD.content_sha256, OLD.amount_due_kopecks,
         OLD.document) THEN
    RAISE EXCEPTION 'a draft bill may only be issued or superseded' USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER bill_guard BEFORE UPDATE OR DELETE ON bill FOR EACH ROW EXECUTE FUNCTION bill_guard();
CREATE TRIGGER bill_volume_append_only BEFORE UPDATE OR DELETE ON bill_volume
  FOR EACH ROW EXECUTE FUNCTION forbid_change();

INSERT INTO parameter (region_code, key, value, effective_from, note) VALUES
  (NULL, 'tariff_change_rule', '"by_days"', '2000-01-01', '§6.3 a tariff change inside a period: by days'),
  (NULL, 'smart_register_tolerance_hours', '24', '2000-01-01',
   '§6.1 item 1 a smart register within this many hours of the period end counts as at the end');
