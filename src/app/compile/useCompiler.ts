import { useEffect } from "react";
import type { DesignEdge, DesignNode, DesignNote } from "../../core/design/types";
import { currentDesign, useAppStore, type AppState } from "../store";
import type { AnalyseRequest } from "./analyse";

interface Asked {
  readonly nodes: readonly DesignNode[];
  readonly edges: readonly DesignEdge[];
  readonly name: string;
  /** Notes are in alchemist.json, though in no Nix file. */
  readonly notes: readonly DesignNote[];
  /** A lock kept after a deployment changes the flake.lock the exported flake carries. */
  readonly locks: AppState["locks"];
  readonly emittedBy: string | null;
}

const askedOf = (s: AppState): Asked => ({
  nodes: s.nodes,
  edges: s.edges,
  name: s.designName,
  notes: s.notes,
  locks: s.locks,
  emittedBy: s.selection.nodes.length === 1 ? s.selection.nodes[0]! : null,
});

const same = (a: Asked, b: Asked) => a.nodes === b.nodes && a.edges === b.edges && a.name === b.name && a.notes === b.notes && a.locks === b.locks && a.emittedBy === b.emittedBy;

/**
 * Keeps the store's analysis in step with the design through a Web Worker. One request is in
 * flight at a time; changes made meanwhile are folded into the next request, so a burst of
 * edits costs one compile, not one per edit.
 */
export function useCompiler(): void {
  useEffect(() => {
    const worker = new Worker(new URL("./compile.worker.ts", import.meta.url), { type: "module" });
    let busy: Asked | null = null;
    let done: Asked | null = null;

    const send = () => {
      const next = askedOf(useAppStore.getState());
      if (busy || (done && same(done, next))) return;
      busy = next;
      const request: AnalyseRequest = { design: currentDesign(useAppStore.getState()), emittedBy: next.emittedBy };
      worker.postMessage(request);
    };
    worker.onmessage = (event: MessageEvent<Omit<AppState["analysis"], "nodes" | "edges" | "name" | "notes">>) => {
      const answered = busy!;
      busy = null;
      done = answered;
      useAppStore.getState().setAnalysis({ ...event.data, nodes: answered.nodes, edges: answered.edges, name: answered.name, notes: answered.notes });
      send();
    };
    worker.onerror = (event) => {
      busy = null;
      useAppStore.getState().setNotice({ tone: "error", title: "The compiler stopped", lines: [event.message || "The compile worker failed; reload the page."] });
    };

    send();
    const unsubscribe = useAppStore.subscribe(send);
    return () => {
      unsubscribe();
      worker.terminate();
    };
  }, []);
}
