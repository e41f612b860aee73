import { useEffect, useRef, type ReactNode } from "react";

/** A modal dialog on the native <dialog>: focus trap, Escape to close and the backdrop come with it. */
export function Dialog({ title, onClose, children, wide }: { title: string; onClose: () => void; children: ReactNode; wide?: boolean }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    ref.current?.showModal();
  }, []);
  return (
    <dialog
      ref={ref}
      aria-label={title}
      onClose={onClose}
      className={`m-auto max-h-[85vh] rounded-xl border border-slate-200 p-0 shadow-2xl backdrop:bg-slate-900/30 ${wide ? "w-[760px]" : "w-[520px]"}`}
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
