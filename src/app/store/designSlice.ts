import type { DesignNode } from "../../core/design/types";
import { duplicate, newNode, newNote, proposeEdge, withField, withLabel, withNoteChange } from "../design/edit";
import { historyOf, type AppState, type DesignSlice, type SliceCreator } from "./state";
// Typing into one input is one undo step, not one per key.
const COALESCE_MS = 1000;

export const createDesignSlice: SliceCreator<DesignSlice> = (set, get, api) => {
  let lastEdit = { key: "", at: 0 };
  const ids = () => new Set(get().nodes.map((n) => n.id));
  /** An edit typed into one input (`key`): keys typed within COALESCE_MS of the last are one undo step. No key: a step of its own. */
  const typed = (key: string | null, change: (s: AppState) => Partial<AppState>) => {
    if (key === null) {
      lastEdit = { key: "", at: 0 };
      return set(change);
    }
    const now = Date.now();
    const coalesce = lastEdit.key === key && now - lastEdit.at < COALESCE_MS;
    lastEdit = { key, at: now };
    const quiet = coalesce && historyOf(api).getState().isTracking;
    if (quiet) historyOf(api).getState().pause();
    set(change);
    if (quiet) historyOf(api).getState().resume();
  };
  const eachNode = (edit: (n: DesignNode) => DesignNode) => (s: AppState) => ({ nodes: s.nodes.map(edit) });

  return {
    designId: "",
    designName: "Untitled design",
    nodes: [],
    edges: [],
    notes: [],
    locks: {},
    setDesignName: (designName) => set({ designName }),
    keepLock: (instance, lock) => set((s) => (s.locks[instance] === lock && Object.hasOwn(s.locks, instance) ? {} : { locks: { ...s.locks, [instance]: lock } })),

    addNode: (kind, position) => {
      const node = newNode(kind, position, ids());
      set((s) => ({ nodes: [...s.nodes, node], selection: { nodes: [node.id], edges: [] } }));
      return node.id;
    },

    moveNodes: (positions) =>
      set((s) => ({ nodes: s.nodes.map((n) => (positions.has(n.id) ? { ...n, position: positions.get(n.id)! } : n)) })),

    connect: (source, target) => {
      const result = proposeEdge(get().nodes, get().edges, source, target);
      if (result.ok) set((s) => ({ edges: [...s.edges, result.edge] }));
      return result;
    },

    removeElements: (nodeIds, edgeIds) => {
      const gone = new Set(nodeIds);
      const goneEdges = new Set(edgeIds);
      set((s) => ({
        nodes: s.nodes.filter((n) => !gone.has(n.id)),
        edges: s.edges.filter((e) => !goneEdges.has(e.id) && !gone.has(e.source) && !gone.has(e.target)),
        selection: { nodes: s.selection.nodes.filter((id) => !gone.has(id)), edges: s.selection.edges.filter((id) => !goneEdges.has(id)) },
      }));
    },

    updateField: (nodeId, field, value) => typed(`${nodeId}\u0000${field}`, eachNode((n) => (n.id === nodeId ? withField(n, field, value) : n))),

    setLabel: (nodeId, label) => typed(`${nodeId}\u0000label`, eachNode((n) => (n.id === nodeId ? withLabel(n, label) : n))),

    addNote: (position) => {
      const note = newNote(position, new Set(get().notes.map((n) => n.id)));
      set((s) => ({ notes: [...s.notes, note] }));
      return note.id;
    },

    // Only typing coalesces: a colour or a move is a step of its own.
    editNote: (id, change) =>
      typed(change.text === undefined ? null : `note\u0000${id}`, (s) => ({ notes: s.notes.map((n) => (n.id === id ? withNoteChange(n, change) : n)) })),

    removeNote: (id) => set((s) => ({ notes: s.notes.filter((n) => n.id !== id) })),

    pasteNodes: (nodes, edges, offset) => {
      const copy = duplicate(nodes, edges, get().nodes, offset);
      const pasted = copy.nodes.map((n) => n.id);
      set((s) => ({ nodes: [...s.nodes, ...copy.nodes], edges: [...s.edges, ...copy.edges], selection: { nodes: pasted, edges: [] } }));
      return pasted;
    },
  };
};
