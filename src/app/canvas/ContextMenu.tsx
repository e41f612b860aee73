import { useLayoutEffect, useRef, useState, type KeyboardEvent } from "react";

export interface MenuItem {
  readonly label: string;
  readonly run: () => void;
  /** Why the item cannot be chosen now; it stays in the menu, so the person learns why. */
  readonly disabled?: string;
}

export interface Point {
  readonly x: number;
  readonly y: number;
}

/** How a menu closed: chosen (the item then decides where the focus goes), Escape or Tab, or a press outside. */
export type Closed = "chosen" | "key" | "outside";

// Room kept between the menu and the window's edge when it would not fit where it was asked.
const EDGE = 4;

/**
 * A context menu at a point of the window (the ARIA menu pattern): the first item takes the
 * focus; the arrows, Home and End move it; Enter or Space chooses; Escape and Tab close it.
 */
export function ContextMenu({ label, at, items, onClose }: { label: string; at: Point; items: readonly MenuItem[]; onClose: (how: Closed) => void }) {
  const menu = useRef<HTMLDivElement>(null);
  const [place, setPlace] = useState(at);

  useLayoutEffect(() => {
    const el = menu.current!;
    const box = el.getBoundingClientRect();
    setPlace({ x: Math.max(EDGE, Math.min(at.x, innerWidth - box.width - EDGE)), y: Math.max(EDGE, Math.min(at.y, innerHeight - box.height - EDGE)) });
    el.querySelector<HTMLElement>('[role="menuitem"]')?.focus();
  }, [at]);

  // A press or a wheel outside closes the menu (a zoom would leave it beside what it was opened on);
  // the capture phase sees them on the canvas, whose panning stops them.
  useLayoutEffect(() => {
    const onOutside = (e: Event) => {
      if (!menu.current?.contains(e.target as Node)) onClose("outside");
    };
    document.addEventListener("pointerdown", onOutside, true);
    document.addEventListener("wheel", onOutside, true);
    return () => {
      document.removeEventListener("pointerdown", onOutside, true);
      document.removeEventListener("wheel", onOutside, true);
    };
  }, [onClose]);

  const onKey = (e: KeyboardEvent) => {
    const all = [...menu.current!.querySelectorAll<HTMLElement>('[role="menuitem"]')];
    const now = all.indexOf(document.activeElement as HTMLElement);
    const to = { ArrowDown: (now + 1) % all.length, ArrowUp: (now - 1 + all.length) % all.length, Home: 0, End: all.length - 1 }[e.key];
    if (to !== undefined) {
      e.preventDefault();
      all[to]?.focus();
    } else if (e.key === "Escape" || e.key === "Tab") {
      e.preventDefault();
      onClose("key");
    }
    // The canvas's own keys (F, L, Delete…) are not for a menu in front of it.
    e.stopPropagation();
  };

  return (
    <div
      ref={menu}
      role="menu"
      aria-label={label}
      onKeyDown={onKey}
      onContextMenu={(e) => e.preventDefault()}
      style={{ left: place.x, top: place.y }}
      className="fixed z-50 min-w-52 rounded-lg border border-slate-200 bg-white py-1 text-sm shadow-xl"
    >
      {items.map((item) => (
        <button
          key={item.label}
          type="button"
          role="menuitem"
          tabIndex={-1}
          aria-disabled={item.disabled ? true : undefined}
          title={item.disabled}
          onClick={() => {
            if (item.disabled) return;
            onClose("chosen");
            item.run();
          }}
          className={`block w-full px-3 py-1.5 text-left focus:bg-violet-100 focus:outline-none ${item.disabled ? "text-slate-400" : "text-slate-700 hover:bg-slate-100"}`}
        >
          {item.label}
          {item.disabled && <span className="block text-xs text-slate-400">{item.disabled}</span>}
        </button>
      ))}
    </div>
  );
}
