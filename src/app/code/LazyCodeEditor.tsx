import { lazy, Suspense } from "react";
import type { CodeEditorProps } from "./CodeEditor";

const CodeEditor = lazy(() => import("./CodeEditor"));

/** The code editor behind a lazy import, so CodeMirror stays out of the first load. */
export function LazyCodeEditor(props: CodeEditorProps) {
  return (
    <Suspense fallback={<pre className="h-full overflow-auto rounded border border-slate-300 bg-white p-2 text-xs text-slate-400">Loading editor…</pre>}>
      <CodeEditor {...props} />
    </Suspense>
  );
}
