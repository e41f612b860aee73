import { useState } from "react";

/**
 * The text an input shows: what the person is typing while it differs from the stored value
 * (an empty number field, a list with a trailing blank line), the stored value otherwise.
 */
export function useDraft(stored: string): [string, (text: string) => void, () => void] {
  const [draft, setDraft] = useState<{ text: string; for: string } | null>(null);
  const shown = draft && draft.for === stored ? draft.text : stored;
  return [shown, (text) => setDraft({ text, for: stored }), () => setDraft(null)];
}
