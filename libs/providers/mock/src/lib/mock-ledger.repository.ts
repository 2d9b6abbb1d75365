import type { SqlClient } from '@shipbatch/providers/core';

/**
 * The mock provider's own durable state, in its own schema `mock_provider`, apart from the
 * service's tables: balances (integer cents), every label sold with our reference, per-reference
 * purchase call counters and per-account rate windows. Every change is committed before the
 * mock answers, as a real provider's would be.
 */
export interface LedgerLabel {
  id: string;
  seq: number;
  reference: string;
  tracking_number: string;
  carrier: string;
  service_level: string;
  cost_minor: number;
  label_file_type: string;
  created_at: string;
  voided_at: string | null;
}

export interface LedgerSale {
  reference: string;
  carrier: string;
  serviceLevel: string;
  costMinor: number;
  labelFileType: string;
  /** The tracking number for a label sequence value. */
  tracking: (seq: number) => string;
}

export type VoidOutcome = 'voided' | 'already_voided' | 'window_passed' | 'not_found';

/** Key of the transaction-level advisory lock that serializes schema creation across processes. */
const SCHEMA_LOCK = 727_274_100;
const ready = new WeakMap<SqlClient, Promise<void>>();

const DDL = [
  `CREATE SCHEMA IF NOT EXISTS mock_provider`,
  `CREATE TABLE IF NOT EXISTS mock_provider.accounts (
     account_id text PRIMARY KEY, balance_minor bigint NOT NULL, currency text NOT NULL DEFAULT 'usd')`,
  `CREATE SEQUENCE IF NOT EXISTS mock_provider.label_seq`,
  `CREATE TABLE IF NOT EXISTS mock_provider.labels (
     id text PRIMARY KEY, seq bigint NOT NULL, account_id text NOT NULL, reference text NOT NULL,
     tracking_number text NOT NULL UNIQUE, carrier text NOT NULL, service_level text NOT NULL,
     cost_minor bigint NOT NULL, label_file_type text NOT NULL,
     created_at timestamptz NOT NULL DEFAULT now(), voided_at timestamptz)`,
  `CREATE INDEX IF NOT EXISTS mock_labels_reference_idx ON mock_provider.labels (account_id, reference)`,
  `CREATE TABLE IF NOT EXISTS mock_provider.purchase_calls (
     account_id text NOT NULL, reference text NOT NULL, n integer NOT NULL, PRIMARY KEY (account_id, reference))`,
  `CREATE TABLE IF NOT EXISTS mock_provider.rate_windows (
     account_id text NOT NULL, window_start bigint NOT NULL, n integer NOT NULL, PRIMARY KEY (account_id, window_start))`,
];

export class MockLedgerRepository {
  /** Set once a transaction that made sure of the account's row has committed. */
  private accountKnown = false;

  constructor(
    private readonly sql: SqlClient,
    private readonly accountId: string,
    private readonly initialBalanceMinor: number,
  ) {}

  /**
   * Creates the schema once per SQL client, lazily. Several processes may start at once, so
   * the DDL runs under a transaction-level advisory lock.
   */
  ensureSchema(): Promise<void> {
    let p = ready.get(this.sql);
    if (!p) {
      p = this.sql.transaction(async (tx) => {
        await tx.query(`SELECT pg_advisory_xact_lock(${SCHEMA_LOCK})`);
        for (const statement of DDL) await tx.query(statement);
      });
      p.catch(() => ready.delete(this.sql));
      ready.set(this.sql, p);
    }
    return p;
  }

  /**
   * Runs `work` in one transaction on the ledger, after making sure of the schema and of the
   * account's row (balance = initial balance on first use).
   */
  async transaction<T>(work: (tx: SqlClient) => Promise<T>): Promise<T> {
    await this.ensureSchema();
    const result = await this.sql.transaction(async (tx) => {
      if (!this.accountKnown) {
        await tx.query(
          `INSERT INTO mock_provider.accounts (account_id, balance_minor) VALUES ($1, $2) ON CONFLICT (account_id) DO NOTHING`,
          [this.accountId, this.initialBalanceMinor],
        );
      }
      return work(tx);
    });
    this.accountKnown = true;
    return result;
  }

  /**
   * Counts a call in the account's current minute (by the database clock, shared by every
   * process); returns the count including this call and the ms left in the window.
   */
  async countRateWindow(tx: SqlClient): Promise<{ n: number; msLeft: number }> {
    const [row] = await tx.query<{ n: number; ms_left: number }>(
      `WITH clock AS (SELECT floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint AS ms)
       INSERT INTO mock_provider.rate_windows AS w (account_id, window_start, n)
       SELECT $1, (clock.ms / 60000) * 60000, 1 FROM clock
       ON CONFLICT (account_id, window_start) DO UPDATE SET n = w.n + 1
       RETURNING w.n, w.window_start + 60000 - (SELECT ms FROM clock) AS ms_left`,
      [this.accountId],
    );
    return { n: Number(row.n), msLeft: Math.min(60_000, Math.max(1, Number(row.ms_left))) };
  }

  /** Counts a purchase call for a reference: 1 for the first, 2 for the second, ... */
  async countPurchaseCall(tx: SqlClient, reference: string): Promise<number> {
    const [row] = await tx.query<{ n: number }>(
      `INSERT INTO mock_provider.purchase_calls AS c (account_id, reference, n) VALUES ($1, $2, 1)
       ON CONFLICT (account_id, reference) DO UPDATE SET n = c.n + 1
       RETURNING c.n`,
      [this.accountId, reference],
    );
    return Number(row.n);
  }

  /** Debits the balance (never below zero) and records the label; null when funds are short. */
  async sell(tx: SqlClient, sale: LedgerSale): Promise<LedgerLabel | null> {
    const debited = await tx.query<{ seq: number }>(
      `UPDATE mock_provider.accounts SET balance_minor = balance_minor - $2
       WHERE account_id = $1 AND balance_minor >= $2
       RETURNING nextval('mock_provider.label_seq') AS seq`,
      [this.accountId, sale.costMinor],
    );
    if (debited.length === 0) return null;
    const seq = Number(debited[0].seq);
    const [label] = await tx.query<LedgerLabel>(
      `INSERT INTO mock_provider.labels
         (id, seq, account_id, reference, tracking_number, carrier, service_level, cost_minor, label_file_type)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING *`,
      [
        `mock_lbl_${seq}`,
        seq,
        this.accountId,
        sale.reference,
        sale.tracking(seq),
        sale.carrier,
        sale.serviceLevel,
        sale.costMinor,
        sale.labelFileType,
      ],
    );
    return normalize(label);
  }

  /**
   * `sell` in one statement outside any transaction, for purchases with nothing else to count
   * (no rate limit, no simulated failures). The account's row is locked only while that
   * statement commits, not across round trips to the caller, so concurrent purchases of one
   * account do not queue behind each other's network and event-loop delays.
   */
  async sellAtOnce(sale: LedgerSale): Promise<LedgerLabel | null> {
    await this.ensureSchema();
    if (!this.accountKnown) {
      await this.sql.query(
        `INSERT INTO mock_provider.accounts (account_id, balance_minor) VALUES ($1, $2) ON CONFLICT (account_id) DO NOTHING`,
        [this.accountId, this.initialBalanceMinor],
      );
      this.accountKnown = true;
    }
    const [{ seq: rawSeq }] = await this.sql.query<{ seq: number }>(`SELECT nextval('mock_provider.label_seq') AS seq`);
    const seq = Number(rawSeq);
    const rows = await this.sql.query<LedgerLabel>(
      `WITH debit AS (
         UPDATE mock_provider.accounts SET balance_minor = balance_minor - $2
         WHERE account_id = $1 AND balance_minor >= $2
         RETURNING account_id
       )
       INSERT INTO mock_provider.labels
         (id, seq, account_id, reference, tracking_number, carrier, service_level, cost_minor, label_file_type)
       SELECT $3, $4, account_id, $5, $6, $7, $8, $2, $9 FROM debit
       RETURNING *`,
      [
        this.accountId,
        sale.costMinor,
        `mock_lbl_${seq}`,
        seq,
        sale.reference,
        sale.tracking(seq),
        sale.carrier,
        sale.serviceLevel,
        sale.labelFileType,
      ],
    );
    return rows[0] ? normalize(rows[0]) : null;
  }

  /** The newest label that is not voided with this reference, or null. */
  async findByReference(reference: string): Promise<LedgerLabel | null> {
    await this.ensureSchema();
    const rows = await this.sql.query<LedgerLabel>(
      `SELECT * FROM mock_provider.labels WHERE account_id = $1 AND reference = $2 AND voided_at IS NULL
       ORDER BY seq DESC LIMIT 1`,
      [this.accountId, reference],
    );
    return rows[0] ? normalize(rows[0]) : null;
  }

  /** Voids a label within `windowHours` of its sale and refunds it. */
  void(labelId: string, windowHours: number): Promise<VoidOutcome> {
    return this.transaction(async (tx) => {
      const rows = await tx.query<{ voided_at: string | null; cost_minor: number; expired: boolean }>(
        `SELECT voided_at, cost_minor, created_at < now() - make_interval(hours => $3::int) AS expired
         FROM mock_provider.labels WHERE id = $1 AND account_id = $2 FOR UPDATE`,
        [labelId, this.accountId, windowHours],
      );
      if (!rows[0]) return 'not_found';
      if (rows[0].voided_at) return 'already_voided';
      if (rows[0].expired) return 'window_passed';
      await tx.query(`UPDATE mock_provider.labels SET voided_at = now() WHERE id = $1`, [labelId]);
      await tx.query(`UPDATE mock_provider.accounts SET balance_minor = balance_minor + $2 WHERE account_id = $1`, [
        this.accountId,
        Number(rows[0].cost_minor),
      ]);
      return 'voided';
    });
  }

  async balance(): Promise<number> {
    return this.transaction(async (tx) => {
      const [row] = await tx.query<{ balance_minor: number }>(
        `SELECT balance_minor FROM mock_provider.accounts WHERE account_id = $1`,
        [this.accountId],
      );
      return Number(row.balance_minor);
    });
  }

  async addFunds(amountMinor: number): Promise<number> {
    return this.transaction(async (tx) => {
      const [row] = await tx.query<{ balance_minor: number }>(
        `UPDATE mock_provider.accounts SET balance_minor = balance_minor + $2 WHERE account_id = $1 RETURNING balance_minor`,
        [this.accountId, amountMinor],
      );
      return Number(row.balance_minor);
    });
  }
}

function normalize(l: LedgerLabel): LedgerLabel {
  return {
    ...l,
    seq: Number(l.seq),
    cost_minor: Number(l.cost_minor),
    created_at: new Date(l.created_at).toISOString(),
    voided_at: l.voided_at ? new Date(l.voided_at).toISOString() : null,
  };
}
