-- One active account per premises at a time (domain.md §3: the account is the billing identity of one
-- premises and its payer). A change of payer closes the old account and opens a new one.
CREATE UNIQUE INDEX account_one_active_per_premises ON account (premises_id) WHERE status = 'active';
