import type { Page } from "@playwright/test";

type Watched = { __longest: number; __tasks: number };

/**
 * Watches the page's main thread from its first script on: the longest task and how many took
 * over 50 ms (PerformanceObserver "longtask"). `read` says so far, `reset` starts afresh (after
 * the page has loaded, to measure what follows alone).
 */
export async function watchLongTasks(page: Page): Promise<{ read(): Promise<{ longest: number; tasks: number }>; reset(): Promise<void> }> {
  await page.addInitScript(() => {
    const w = window as unknown as Watched;
    w.__longest = 0;
    w.__tasks = 0;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        w.__tasks++;
        w.__longest = Math.max(w.__longest, e.duration);
      }
    }).observe({ type: "longtask", buffered: true });
  });
  return {
    read: () => page.evaluate(() => ({ longest: (window as unknown as Watched).__longest, tasks: (window as unknown as Watched).__tasks })),
    reset: () =>
      page.evaluate(() => {
        const w = window as unknown as Watched;
        w.__longest = 0;
        w.__tasks = 0;
      }),
  };
}
