import type { ReactNode } from "react";
import { Dialog } from "./Dialog";

/**
 * Asks before something that cannot easily be taken back. Escape, the close button and the
 * cancel button all answer no; only the confirm button, which names the action, answers yes.
 */
export function Confirm({ title, confirm, cancel, onAnswer, children }: { title: string; confirm: string; cancel: string; onAnswer: (yes: boolean) => void; children: ReactNode }) {
  return (
    <Dialog title={title} onClose={() => onAnswer(false)}>
      <div className="space-y-4 text-sm text-slate-700">
        {children}
        <div className="flex justify-end gap-2">
          <button type="button" autoFocus className="rounded border border-slate-300 px-3 py-1 hover:bg-slate-50" onClick={() => onAnswer(false)}>
            {cancel}
          </button>
          <button type="button" className="rounded bg-red-600 px-3 py-1 font-medium text-white hover:bg-red-700" onClick={() => onAnswer(true)}>
            {confirm}
          </button>
        </div>
      </div>
    </Dialog>
  );
}
