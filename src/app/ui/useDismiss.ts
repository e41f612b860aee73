import { useEffect, useRef, type RefObject } from "react";

/**
 * Closes a popover, while it is open, on Escape or on a press anywhere outside `inside` (its
 * toggle and its body). Listens in the capture phase, so a press on the canvas, whose pan
 * handling stops the event, still counts.
 */
export function useDismiss(inside: RefObject<HTMLElement | null>, open: boolean, close: (by: "escape" | "outside") => void): void {
  const latest = useRef(close);
  latest.current = close;
  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") latest.current("escape");
    };
    const onPress = (e: PointerEvent) => {
      if (!inside.current?.contains(e.target as Node)) latest.current("outside");
    };
    document.addEventListener("keydown", onKey, true);
    document.addEventListener("pointerdown", onPress, true);
    return () => {
      document.removeEventListener("keydown", onKey, true);
      document.removeEventListener("pointerdown", onPress, true);
    };
  }, [inside, open]);
}
