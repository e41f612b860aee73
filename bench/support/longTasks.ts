import type { Page } from "@playwright/test";

type Watched = { __longest: number; __tasks: number; __blocking: number; __since: number };

/**
 * Watches the page's main thread from its first script on: the longest task and how many took
 * over 50 ms (PerformanceObserver "longtask": Chromium's tasks, rendering included), and their
 * blocking time (the sum of each one's time past 50 ms, as Lighthouse's TBT): the longest alone
 * is one task on a shared machine, the sum says how much of the run was blocked. `read` says so
 * far, `reset` starts afresh (after the page has loaded, to measure what follows alone).
 */
export async function watchLongTasks(page: Page): Promise<{ read(): Promise<{ longest: number; tasks: number; blocking: number }>; reset(): Promise<void> }> {
  await page.addInitScript(() => {
    const w = window as unknown as Watched;
    w.__longest = 0;
    w.__tasks = 0;
    w.__blocking = 0;
    w.__since = 0;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        // Entries come in batches, after the task: one that began before a reset is not of what follows it.
        if (e.startTime < w.__since) continue;
        w.__tasks++;
        w.__longest = Math.max(w.__longest, e.duration);
        w.__blocking += e.duration - 50;
      }
    }).observe({ type: "longtask", buffered: true });
  });
  return {
    read: () =>
      page.evaluate(() => {
        const w = window as unknown as Watched;
        return { longest: w.__longest, tasks: w.__tasks, blocking: w.__blocking };
      }),
    reset: () =>
      page.evaluate(() => {
        const w = window as unknown as Watched;
        w.__longest = 0;
        w.__tasks = 0;
        w.__blocking = 0;
        w.__since = performance.now();
      }),
  };
}
