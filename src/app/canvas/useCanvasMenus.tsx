import { useCallback, useMemo, useRef, useState, type ReactNode, type RefObject } from "react";
import { useReactFlow, type ReactFlowInstance } from "@xyflow/react";
import { useShallow } from "zustand/react/shallow";
import type { Kind } from "../../core/catalog/kind";
import { KINDS, kindOf } from "../../core/catalog/registry";
import type { DesignEdge, DesignNode, Position } from "../../core/design/types";
import { cardName, proposeEdge } from "../design/edit";
import { instancesOf, type DesignInstance } from "../derive/instances";
import { deployBlocker } from "../derive/readiness";
import { DeployDialog } from "../deploy/DeployDialog";
import { labelInputId } from "../inspector/Inspector";
import { kindMatches } from "../palette/Palette";
import { useAppStore } from "../store";
import { PanelBoundary } from "../ui/PanelBoundary";
import { plural } from "../ui/text";
import { canPaste, copySelection, duplicateNodes, paste } from "./clipboard";
import { ContextMenu, type Closed, type MenuItem, type Point } from "./ContextMenu";
import { findNodes } from "./find/match";
import { collapsedIn, setCollapsed } from "./instances/collapsed";
import { reveal } from "./instances/reveal";
import { layOut } from "./layout";
import { Picker, type Choice } from "./find/Picker";
import { addNoteAt } from "./notes/Notes";
import { useNewNodeSpot } from "./placement";

type Open =
  | { readonly type: "node"; readonly nodeId: string; readonly at: Point }
  | { readonly type: "selection"; readonly nodeIds: readonly string[]; readonly edgeIds: readonly string[]; readonly at: Point }
  | { readonly type: "edge"; readonly edgeId: string; readonly at: Point }
  | { readonly type: "pane"; readonly at: Point; readonly flowAt: Position }
  | { readonly type: "find" }
  | { readonly type: "connect"; readonly nodeId: string; readonly feeds: boolean }
  | { readonly type: "add"; readonly flowAt: Position }
  | { readonly type: "deploy"; readonly instanceId: string };

// A list longer than this is no help to the person, and costs a render per key typed.
const MAX_RESULTS = 50;
// How long a card just found or added may take to be drawn (its view is still moving to it).
const CARD_FRAMES = 60;

const cardOf = (id: string) => document.querySelector<HTMLElement>(`.react-flow__node[data-id="${CSS.escape(id)}"]`);

/**
 * Puts the focus on a node's card once it is drawn, so the keyboard goes on from the node just
 * found or made. From the next frame on: until then the closing dialog holds the page inert.
 */
function focusCard(id: string, frames = CARD_FRAMES): void {
  requestAnimationFrame(() => {
    // React Flow keeps a card hidden until it has measured it, and a hidden card takes no focus.
    cardOf(id)?.focus({ preventScroll: true });
    if (document.activeElement !== cardOf(id) && frames > 0) focusCard(id, frames - 1);
  });
}

/** Selects a node, brings it to the middle of the view and gives it the focus, opening the collapsed instance it is in. */
function goTo(id: string): void {
  reveal(id);
  useAppStore.getState().focusNode(id);
  focusCard(id);
}

const middleOf = (el: Element): Point => {
  const box = el.getBoundingClientRect();
  return { x: box.left + box.width / 2, y: box.top + box.height / 2 };
};

/** A right-click handler for React Flow: `open` at the pointer, in place of the browser's menu. */
const atPointer =
  <A extends unknown[]>(open: (at: Point, ...args: A) => void) =>
  (e: { preventDefault(): void; clientX: number; clientY: number }, ...args: A) => {
    e.preventDefault();
    open({ x: e.clientX, y: e.clientY }, ...args);
  };

/**
 * The canvas's context menus (a node's, a selection's, an edge's, the pane's), from a right-click or the keyboard
 * (Shift+F10, the Menu key), and what they open: find (Ctrl+K), connect, add a node, deploy.
 * Closing any of them without a choice puts the focus back where it was.
 */
export function useCanvasMenus(pane: RefObject<HTMLElement | null>) {
  const flow = useReactFlow();
  const [open, setOpen] = useState<Open | null>(null);
  // An edge is an SVG element: it takes the focus back too.
  const back = useRef<HTMLElement | SVGElement | null>(null);

  const start = useCallback((o: Open) => {
    const was = document.activeElement;
    back.current = was instanceof HTMLElement || was instanceof SVGElement ? was : null;
    setOpen(o);
  }, []);
  // After the choice has moved the focus where it wants, or found it gone with the menu.
  const restore = useCallback(() => {
    const to = back.current;
    requestAnimationFrame(() => {
      if (to?.isConnected && (document.activeElement === null || document.activeElement === document.body)) to.focus({ preventScroll: true });
    });
  }, []);
  const close = useCallback(
    (how: Closed = "key") => {
      setOpen(null);
      if (how !== "outside") restore();
    },
    [restore],
  );

  /** A node's menu; a node of a selection of several stands for the selection, as in a file manager. */
  const openNode = useCallback(
    (nodeId: string, at: Point) => {
      const { selection, select } = useAppStore.getState();
      if (selection.nodes.length > 1 && selection.nodes.includes(nodeId)) return start({ type: "selection", nodeIds: selection.nodes, edgeIds: selection.edges, at });
      select({ nodes: [nodeId], edges: [] });
      start({ type: "node", nodeId, at });
    },
    [start],
  );
  // React Flow's box around an area selected (Shift+drag).
  const openSelection = useCallback(
    (at: Point) => {
      const [first] = useAppStore.getState().selection.nodes;
      if (first) openNode(first, at);
    },
    [openNode],
  );
  const openEdge = useCallback(
    (edgeId: string, at: Point) => {
      useAppStore.getState().select({ nodes: [], edges: [edgeId] });
      start({ type: "edge", edgeId, at });
    },
    [start],
  );
  const openPane = useCallback((at: Point) => start({ type: "pane", at, flowAt: flow.screenToFlowPosition(at) }), [flow, start]);
  const openFind = useCallback(() => start({ type: "find" }), [start]);

  /** React Flow's right-click props. */
  const onContextMenu = useMemo(
    () => ({
      onNodeContextMenu: atPointer((at, n: { id: string }) => openNode(n.id, at)),
      onSelectionContextMenu: atPointer(openSelection),
      onEdgeContextMenu: atPointer((at, e: { id: string }) => openEdge(e.id, at)),
      onPaneContextMenu: atPointer(openPane),
    }),
    [openNode, openSelection, openEdge, openPane],
  );

  /** The menu of what has the focus: a node's card, an edge, the box of a selected area, or the canvas (the focus on it or on nothing). */
  const openFromKeyboard = useCallback((): boolean => {
    const focused = document.activeElement;
    const card = focused?.closest<HTMLElement>(".react-flow__node");
    if (card?.dataset.id) {
      openNode(card.dataset.id, middleOf(card));
      return true;
    }
    const edge = focused?.closest<SVGElement>(".react-flow__edge");
    if (edge?.dataset.id) {
      openEdge(edge.dataset.id, middleOf(edge));
      return true;
    }
    const area = focused?.closest(".react-flow__nodesselection-rect");
    if (area) {
      openSelection(middleOf(area));
      return true;
    }
    const canvas = pane.current;
    if (!canvas || !(focused === null || focused === document.body || canvas.contains(focused))) return false;
    openPane(middleOf(canvas));
    return true;
  }, [openNode, openEdge, openSelection, openPane, pane]);

  let element: ReactNode = null;
  if (open?.type === "node") {
    const items = nodeItems(open.nodeId, setOpen);
    const node = useAppStore.getState().nodes.find((n) => n.id === open.nodeId);
    element = node && <ContextMenu label={cardName(node)} at={open.at} items={items} onClose={close} />;
  } else if (open?.type === "selection") {
    element = <ContextMenu label={`${plural(open.nodeIds.length, "node")} selected`} at={open.at} items={selectionItems(open.nodeIds, open.edgeIds, flow)} onClose={close} />;
  } else if (open?.type === "edge") {
    const edge = useAppStore.getState().edges.find((e) => e.id === open.edgeId);
    element = edge && <ContextMenu label={`Edge from ${edge.source} to ${edge.target}`} at={open.at} items={edgeItems(edge)} onClose={close} />;
  } else if (open?.type === "pane") {
    const here = open.flowAt;
    const items: MenuItem[] = [
      { label: "Add a node here…", run: () => setOpen({ type: "add", flowAt: here }) },
      { label: "Paste", run: () => paste(here), disabled: canPaste() ? undefined : "Nothing copied yet: Ctrl+C copies the selected nodes" },
      { label: "Add a note here", run: () => addNoteAt(here) },
    ];
    element = <ContextMenu label="Canvas" at={open.at} items={items} onClose={close} />;
  } else if (open?.type === "find") {
    element = <FindNode onClose={close} />;
  } else if (open?.type === "connect") {
    element = <ConnectNode nodeId={open.nodeId} feeds={open.feeds} onClose={close} />;
  } else if (open?.type === "add") {
    element = <AddNode centre={open.flowAt} onClose={close} />;
  } else if (open?.type === "deploy") {
    element = <DeployInstance instanceId={open.instanceId} onClose={close} />;
  }

  return { onContextMenu, openFind, openFromKeyboard, element };
}

/** A node's menu: what the person does to one node, each item named as it reads in the issue list. */
function nodeItems(nodeId: string, setOpen: (o: Open) => void): MenuItem[] {
  const s = useAppStore.getState();
  const node = s.nodes.find((n) => n.id === nodeId);
  if (!node) return [];
  const edges = s.edges.filter((e) => e.source === nodeId || e.target === nodeId).map((e) => e.id);
  const host = kindOf(node.kind)?.role === "instance";
  const instance = instancesOf(s).find((i) => i.members.includes(nodeId));
  const blocked = instance ? deployBlocker(s, instance, Date.now()) : "Not part of a CIM instance: connect it into one (with a valid Id)";
  return [
    {
      label: "Rename…",
      run: () => {
        s.select({ nodes: [nodeId], edges: [] });
        requestAnimationFrame(() => document.getElementById(labelInputId(nodeId))?.focus());
      },
    },
    {
      label: "Duplicate",
      run: () => {
        const [copy] = duplicateNodes([nodeId]);
        if (copy) focusCard(copy);
      },
    },
    // An instance is a whole host: it feeds nothing.
    ...(host ? [] : [{ label: "Connect to…", run: () => setOpen({ type: "connect", nodeId, feeds: true }) }]),
    { label: "Connect from…", run: () => setOpen({ type: "connect", nodeId, feeds: false }) },
    { label: "Disconnect", run: () => s.removeElements([], edges), disabled: edges.length === 0 ? "It has no connections" : undefined },
    { label: "Delete", run: () => s.removeElements([nodeId], []) },
    {
      label: "Show its Nix",
      run: () => {
        s.select({ nodes: [nodeId], edges: [] });
        s.setBottomTab("preview");
      },
    },
    ...(host ? [collapseItem(s.designId, nodeId, instance)] : []),
    {
      label: instance ? `Deploy ${instance.hostId}…` : "Deploy…",
      run: () => instance && setOpen({ type: "deploy", instanceId: instance.nodeId }),
      disabled: blocked ?? undefined,
    },
  ];
}

/**
 * A selection's menu: what the node menu and the keys do to one node, done to all of them at
 * once, each one step of undo. Delete goes the way the Delete key goes, asking first.
 */
function selectionItems(nodeIds: readonly string[], edgeIds: readonly string[], flow: ReactFlowInstance): MenuItem[] {
  const s = useAppStore.getState();
  const picked = new Set(nodeIds);
  const edges = s.edges.filter((e) => picked.has(e.source) || picked.has(e.target)).map((e) => e.id);
  return [
    {
      label: "Duplicate",
      run: () => {
        const [first] = duplicateNodes(nodeIds);
        if (first) focusCard(first);
      },
    },
    { label: "Copy", run: copySelection },
    { label: "Disconnect all", run: () => s.removeElements([], edges), disabled: edges.length === 0 ? "They have no connections" : undefined },
    { label: "Lay out these nodes", run: () => void layOut(flow, picked) },
    { label: "Delete", run: () => void flow.deleteElements({ nodes: nodeIds.map((id) => ({ id })), edges: edgeIds.map((id) => ({ id })) }) },
  ];
}

/** An edge's menu: either end, found as Ctrl+K finds a node, or the edge gone. */
function edgeItems(edge: DesignEdge): MenuItem[] {
  const s = useAppStore.getState();
  const name = (id: string) => {
    const n = s.nodes.find((x) => x.id === id);
    return n ? cardName(n) : id;
  };
  return [
    { label: `Go to source: ${name(edge.source)}`, run: () => goTo(edge.source) },
    { label: `Go to target: ${name(edge.target)}`, run: () => goTo(edge.target) },
    { label: "Delete", run: () => s.removeElements([], [edge.id]) },
  ];
}

/** Collapse or expand an instance: a view of the design kept in this browser, never an edit of it. */
function collapseItem(designId: string, nodeId: string, instance: DesignInstance | undefined): MenuItem {
  const collapsed = collapsedIn(designId).has(nodeId);
  const own = instance?.nodeId === nodeId ? instance : undefined;
  return {
    label: collapsed ? "Expand instance" : "Collapse instance",
    run: () => setCollapsed(designId, nodeId, !collapsed),
    disabled: collapsed ? undefined : !own ? "Give it a valid Id first" : own.members.length < 2 ? "Nothing builds on it yet" : undefined,
  };
}

const nodeChoice = (n: DesignNode): Choice => ({ id: n.id, name: cardName(n) });

/** Ctrl+K: a node by its label, id or kind, brought to the middle of the view, selected and focused. */
function FindNode({ onClose }: { onClose: (how?: Closed) => void }) {
  const nodes = useAppStore((s) => s.nodes);
  const search = useCallback((q: string) => findNodes(nodes, q, MAX_RESULTS).map(nodeChoice), [nodes]);
  const pick = (id: string) => {
    onClose("chosen");
    goTo(id);
  };
  return <Picker title="Find a node" label="Label, id or kind" none="No node answers that." search={search} onPick={pick} onClose={onClose} />;
}

/** The other end of a new connection, among the nodes the connection can be made with. */
function ConnectNode({ nodeId, feeds, onClose }: { nodeId: string; feeds: boolean; onClose: (how?: Closed) => void }) {
  const { nodes, edges } = useAppStore(useShallow((s) => ({ nodes: s.nodes, edges: s.edges })));
  const node = nodes.find((n) => n.id === nodeId);
  const ends = useMemo(() => nodes.filter((n) => proposeEdge(nodes, edges, feeds ? nodeId : n.id, feeds ? n.id : nodeId).ok), [nodes, edges, nodeId, feeds]);
  const search = useCallback((q: string) => findNodes(ends, q, MAX_RESULTS).map(nodeChoice), [ends]);
  if (!node) return null;
  const name = cardName(node);
  const pick = (other: string) => {
    const s = useAppStore.getState();
    const result = feeds ? s.connect(nodeId, other) : s.connect(other, nodeId);
    if (!result.ok) s.setNotice({ tone: "error", title: "Connection refused", lines: [result.reason] });
    onClose("chosen");
    focusCard(nodeId);
  };
  return (
    <Picker
      title={feeds ? `Connect ${name} to…` : `Connect to ${name} from…`}
      label="Label, id or kind"
      none={feeds ? "No node can build on this one." : "No node can feed this one."}
      search={search}
      onPick={pick}
      onClose={onClose}
    />
  );
}

/** "Add a node here": a kind, as the palette finds it, placed at the menu's spot (or the free one nearest). */
function AddNode({ centre, onClose }: { centre: Position; onClose: (how?: Closed) => void }) {
  const spot = useNewNodeSpot();
  const search = useCallback((q: string) => {
    const query = q.trim().toLowerCase();
    // The kind named outright first ("redis"), then those whose name starts so, then the rest the palette would show.
    const rank = (k: Kind) => (k.kind === query || k.label.toLowerCase() === query ? 0 : k.label.toLowerCase().startsWith(query) ? 1 : 2);
    return KINDS.filter((k) => !query || kindMatches(k, query))
      .sort((a, b) => rank(a) - rank(b))
      .map((k) => ({ id: k.kind, name: k.label }));
  }, []);
  const pick = (kind: string) => {
    const id = useAppStore.getState().addNode(kind, spot(centre));
    onClose("chosen");
    focusCard(id);
  };
  return <Picker title="Add a node here" label="Kind" none="No kind answers that." search={search} onPick={pick} onClose={onClose} />;
}

/** The Deploy bar's dialog, for the instance whose node's menu asked it. */
function DeployInstance({ instanceId, onClose }: { instanceId: string; onClose: () => void }) {
  const instance = useAppStore(useShallow((s) => instancesOf(s).find((i) => i.nodeId === instanceId)));
  if (!instance) return null;
  return (
    <PanelBoundary name={`Deploy ${instance.hostId}`} onClose={onClose} dialog>
      <DeployDialog instance={instance} onClose={onClose} />
    </PanelBoundary>
  );
}
