/**
 * Light or dark: the person's choice, kept in the browser, or the system's preference when
 * they chose none (or "system"). Pure: the stored text and the system's answer are handed in;
 * ui/useTheme.ts reads them from the browser and follows them.
 */

export type Theme = "light" | "dark";
export type ThemeChoice = Theme | "system";

export const THEME_CHOICES: readonly ThemeChoice[] = ["system", "light", "dark"];

export const THEME_STORAGE_KEY = "alchemist.theme";

/** The choice kept in storage; nothing, or anything else than a theme, is "follow the system". */
export const parseThemeChoice = (text: string | null): ThemeChoice => (text === "light" || text === "dark" ? text : "system");

/** The theme shown: the person's override, else what the system prefers. */
export const resolveTheme = (choice: ThemeChoice, systemPrefersDark: boolean): Theme => (choice === "system" ? (systemPrefersDark ? "dark" : "light") : choice);
