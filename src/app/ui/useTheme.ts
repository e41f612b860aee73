import { useSyncExternalStore } from "react";
import { parseThemeChoice, resolveTheme, THEME_STORAGE_KEY, type Theme, type ThemeChoice } from "./theme";

/**
 * The theme of the page, one for the whole app: `<html data-theme>` sets the CSS colour scheme
 * (index.css), and the canvas hands it to React Flow. It follows the system's preference live
 * while the person has not chosen, and a choice made in another tab.
 */

const systemDark = () => window.matchMedia("(prefers-color-scheme: dark)");

function storedChoice(): ThemeChoice {
  try {
    return parseThemeChoice(localStorage.getItem(THEME_STORAGE_KEY));
  } catch {
    return "system";
  }
}

let current: { readonly choice: ThemeChoice; readonly theme: Theme } = { choice: "system", theme: "light" };
const listeners = new Set<() => void>();

function show(choice: ThemeChoice) {
  const theme = resolveTheme(choice, systemDark().matches);
  document.documentElement.dataset.theme = theme;
  if (current.choice === choice && current.theme === theme) return;
  current = { choice, theme };
  for (const l of listeners) l();
}

/** Once, before the first render, so the page is never drawn in the other theme first. */
export function startTheme(): void {
  show(storedChoice());
  systemDark().addEventListener("change", () => show(current.choice));
  window.addEventListener("storage", (e) => {
    if (e.key === THEME_STORAGE_KEY || e.key === null) show(storedChoice());
  });
}

export function chooseTheme(choice: ThemeChoice): void {
  try {
    if (choice === "system") localStorage.removeItem(THEME_STORAGE_KEY);
    else localStorage.setItem(THEME_STORAGE_KEY, choice);
  } catch {
    // Storage refused: the choice still holds for this page.
  }
  show(choice);
}

const subscribe = (listener: () => void) => {
  listeners.add(listener);
  return () => listeners.delete(listener);
};

export const useTheme = () => useSyncExternalStore(subscribe, () => current);
