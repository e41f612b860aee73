// Preloaded with `node --require` into a process whose wall clock must be off by
// ALCHEMIST_TEST_CLOCK_SKEW_MS (a leaf whose clock is minutes wrong): Date and Date.now move, the
// monotonic clock (performance.now, timers) does not — as when a machine's clock is set wrong.
const skew = Number(process.env.ALCHEMIST_TEST_CLOCK_SKEW_MS || 0);
const RealDate = Date;
class SkewedDate extends RealDate {
  constructor(...args) {
    if (args.length === 0) super(RealDate.now() + skew);
    else super(...args);
  }
  static now() {
    return RealDate.now() + skew;
  }
}
globalThis.Date = SkewedDate;
