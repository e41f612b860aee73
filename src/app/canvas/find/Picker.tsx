import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from "react";
import { Dialog } from "../../ui/Dialog";

export interface Choice {
  readonly id: string;
  readonly name: string;
}

interface Props {
  readonly title: string;
  /** The search box's name. */
  readonly label: string;
  /** What the list says when nothing answers the query. */
  readonly none: string;
  readonly search: (query: string) => readonly Choice[];
  readonly onPick: (id: string) => void;
  readonly onClose: () => void;
}

/**
 * A dialog to choose one thing by typing: a combobox over a listbox of what answers the query;
 * the arrows move through the list, Enter chooses, Escape closes. Focus stays in the box, the
 * active option is told by aria-activedescendant (the ARIA combobox pattern).
 */
export function Picker({ title, label, none, search, onPick, onClose }: Props) {
  const [query, setQuery] = useState("");
  const [active, setActive] = useState(0);
  const choices = useMemo(() => search(query), [search, query]);
  const input = useRef<HTMLInputElement>(null);
  const listId = useId();
  const at = Math.min(active, choices.length - 1);
  const optionId = (i: number) => `${listId}-${i}`;

  // The dialog's showModal (a child's effect, so run before this one) focuses its first button.
  useEffect(() => {
    input.current?.focus();
  }, []);
  useEffect(() => {
    document.getElementById(optionId(at))?.scrollIntoView({ block: "nearest" });
  });

  const onKey = (e: KeyboardEvent) => {
    const step = e.key === "ArrowDown" ? 1 : e.key === "ArrowUp" ? -1 : 0;
    if (step !== 0) {
      e.preventDefault();
      if (choices.length > 0) setActive((at + step + choices.length) % choices.length);
    } else if (e.key === "Enter") {
      e.preventDefault();
      const choice = choices[at];
      if (choice) onPick(choice.id);
    }
  };

  return (
    <Dialog title={title} onClose={onClose}>
      <input
        ref={input}
        role="combobox"
        aria-label={label}
        aria-expanded
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={at >= 0 ? optionId(at) : undefined}
        value={query}
        onChange={(e) => {
          setQuery(e.target.value);
          setActive(0);
        }}
        onKeyDown={onKey}
        className="w-full rounded border border-slate-300 px-2 py-1.5 text-sm"
        placeholder="Type to search…"
      />
      <ul id={listId} role="listbox" aria-label={title} className="mt-2 max-h-80 overflow-y-auto text-sm">
        {choices.map((c, i) => (
          <li
            key={c.id}
            id={optionId(i)}
            role="option"
            aria-selected={i === at}
            onClick={() => onPick(c.id)}
            onMouseMove={() => setActive(i)}
            className={`cursor-pointer rounded px-2 py-1 ${i === at ? "bg-violet-100 text-violet-900" : "text-slate-700"}`}
          >
            {c.name}
          </li>
        ))}
      </ul>
      {choices.length === 0 && <p className="mt-2 text-sm text-slate-500">{none}</p>}
    </Dialog>
  );
}
