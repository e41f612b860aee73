import { describe, expect, it } from "vitest";
import { parseThemeChoice, resolveTheme, THEME_CHOICES } from "./theme";

describe("the theme", () => {
  it("follows the system until the person overrides it, either way", () => {
    expect(resolveTheme("system", true)).toBe("dark");
    expect(resolveTheme("system", false)).toBe("light");
    for (const system of [true, false]) {
      expect(resolveTheme("light", system)).toBe("light");
      expect(resolveTheme("dark", system)).toBe("dark");
    }
  });

  it("reads back every choice it stores, and anything else as following the system", () => {
    for (const choice of THEME_CHOICES) expect(parseThemeChoice(choice)).toBe(choice);
    for (const text of [null, "", "Dark", "auto", '"dark"', " light"]) expect(parseThemeChoice(text)).toBe("system");
  });
});
