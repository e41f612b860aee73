import { useEffect, useRef, type ReactNode } from "react";

/** A modal dialog on the native <dialog>: focus trap, Escape to close and the backdrop come with it. */
export function Dialog({ title, onClose, children, wide }: { title: string; onClose: () => void; children: ReactNode; wide?: boolean | "widest" }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    ref.current?.showModal();
  }, []);
  return (
    <dialog
      ref={ref}
      aria-label={title}
      // whitespace-normal: a dialog is mounted where it is opened (the Deploy bar is nowrap) and
      // would inherit that, cutting off labels and sentences at the dialog's edge.
      // React passes a nested dialog's close (a confirmation asked from this one) up to this
      // handler too: only this dialog's own close closes it.
      onClose={(e) => {
        if (e.target === e.currentTarget) onClose();
      }}
      className={`m-auto max-h-[85vh] max-w-[calc(100vw-2rem)] whitespace-normal rounded-xl border border-slate-200 p-0 shadow-2xl backdrop:bg-slate-900/30 ${wide === "widest" ? "w-[1100px]" : wide ? "w-[760px]" : "w-[520px]"}`}
    >
      <div className="flex items-center justify-between border-b border-slate-100 px-4 py-3">
        <h2 className="font-semibold text-slate-800">{title}</h2>
        <button type="button" onClick={() => ref.current?.close()} className="rounded px-2 py-1 text-slate-500 hover:bg-slate-100" aria-label="Close">
          ✕
        </button>
      </div>
      <div className="max-h-[70vh] overflow-y-auto p-4">{children}</div>
    </dialog>
  );
}
