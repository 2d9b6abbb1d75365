import { type FundingPolicy, type TopUpContext, topUpAhead } from './funding-policy';
import { ShortfallTopUp } from './shortfall-top-up';

const policy: FundingPolicy = { enabled: true, minBalanceMinor: 1_000, topUpAmountMinor: 5_000, dailyCapMinor: 20_000 };
const ctx = (over: Partial<TopUpContext> = {}): TopUpContext => ({ policy, balanceMinor: 300, minTopUpMinor: 0, toppedUpTodayMinor: 0, ...over });

describe('topUpAhead', () => {
  it('does nothing while the balance stays at or above the minimum after the estimate', () => {
    expect(topUpAhead(ctx({ balanceMinor: 3_000 }), 2_000)).toEqual({ kind: 'none' });
  });

  it('tops up the usual amount when the shortfall is smaller', () => {
    expect(topUpAhead(ctx(), 2_000)).toEqual({ kind: 'top_up', amountMinor: 5_000, wantedMinor: 5_000 });
  });

  it('tops up the whole shortfall when it is larger than the usual amount', () => {
    expect(topUpAhead(ctx(), 10_000)).toEqual({ kind: 'top_up', amountMinor: 10_700, wantedMinor: 10_700 });
  });

  it('cuts the top-up to what the daily cap leaves, and refuses when it leaves nothing or less than the provider minimum', () => {
    expect(topUpAhead(ctx({ toppedUpTodayMinor: 18_000 }), 2_000)).toEqual({ kind: 'top_up', amountMinor: 2_000, wantedMinor: 5_000 });
    expect(topUpAhead(ctx({ toppedUpTodayMinor: 20_000 }), 2_000)).toEqual({ kind: 'capped', wantedMinor: 5_000 });
    expect(topUpAhead(ctx({ toppedUpTodayMinor: 18_000, minTopUpMinor: 2_500 }), 2_000)).toEqual({ kind: 'capped', wantedMinor: 5_000 });
  });
});

describe('ShortfallTopUp', () => {
  it('sizes the top-up on the label, then on the open demand when that is larger', () => {
    const t = new ShortfallTopUp(ctx(), 7_580);
    expect(t.baseMinor).toBe(8_280);
    expect(t.capReached).toBe(false);
    expect(t.amountMinor(null)).toBe(8_280);
    expect(t.amountMinor(15_000)).toBe(15_700);
  });

  it('falls back on the usual top-up when the provider did not say the price', () => {
    const t = new ShortfallTopUp(ctx(), null);
    expect(t.baseMinor).toBe(5_000);
    expect(t.enoughMinor).toBe(5_000);
  });

  it('is refused by the cap only when the cap leaves less than the label needs', () => {
    expect(new ShortfallTopUp(ctx({ toppedUpTodayMinor: 12_800 }), 7_580).capReached).toBe(true);
    const smaller = new ShortfallTopUp(ctx({ toppedUpTodayMinor: 12_000 }), 7_580);
    expect(smaller.capReached).toBe(false);
    expect(smaller.amountMinor(null)).toBe(8_000);
  });
});
