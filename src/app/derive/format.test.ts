import { describe, expect, it } from "vitest";
import { duration, elapsedMs, secondsLeft } from "./format";

// Issue 18, point 8: the countdown and the running clocks of the deployment view.
describe("the confirmation countdown", () => {
  const since = Date.parse("2026-12-01T10:00:00.000Z");
  const deadline = since + 60_000;

  it("reads 60 s left for a 60 s timeout, even on a tick older than the event or a browser clock behind the leaf's", () => {
    expect(secondsLeft(deadline, since, since)).toBe(60);
    expect(secondsLeft(deadline, since, since - 900)).toBe(60);
    expect(secondsLeft(deadline, since, since - 5_000)).toBe(60);
  });

  it("counts down to 0 and never below", () => {
    expect(secondsLeft(deadline, since, since + 30_500)).toBe(30);
    expect(secondsLeft(deadline, since, deadline)).toBe(0);
    expect(secondsLeft(deadline, since, deadline + 5_000)).toBe(0);
  });
});

describe("a running step's clock", () => {
  it("is never negative when the tick is older than the step's start", () => {
    expect(duration(elapsedMs(1_000, 917))).toBe("0 ms");
  });

  it("never goes past its cap (the confirmation timeout of the confirm step)", () => {
    expect(elapsedMs(0, 75_000, 60_000)).toBe(60_000);
    expect(elapsedMs(0, 1_500, 60_000)).toBe(1_500);
  });
});
