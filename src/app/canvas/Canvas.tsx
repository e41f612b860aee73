import { memo, useCallback, useEffect, useLayoutEffect, useRef, useState, type DragEvent } from "react";
import {
  applyEdgeChanges,
  applyNodeChanges,
  Background,
  Controls,
  MiniMap,
  ReactFlow,
  useReactFlow,
  useStore,
  type Connection,
  type Edge,
  type EdgeChange,
  type NodeChange,
  type OnSelectionChangeParams,
  type ReactFlowState,
} from "@xyflow/react";
import { useShallow } from "zustand/react/shallow";
import { useAppStore } from "../store";
import { KIND_MIME } from "../palette/Palette";
import { EmptyState } from "./EmptyState";
import { nodeTypes } from "./nodes";
import { OverviewContext } from "./nodes/NodeFrame";
import { UNMEASURED_NODE_SIZE, type FlowNode } from "./nodes/types";
import { MAX_ZOOM, MIN_ZOOM, READABLE_ZOOM, openingView, type OpeningView } from "./openingView";
import { Toolbar } from "./Toolbar";
import { Notes } from "./notes/Notes";
import { Confirm } from "../ui/Confirm";
import { plural } from "../ui/text";
import { useFlowGraph } from "./useFlowGraph";
import { useCanvasMenus } from "./useCanvasMenus";
import { useTheme } from "../ui/useTheme";
import { instancesOf } from "../derive/instances";

const DEFAULT_EDGE = { type: "smoothstep" } as const;
const DELETE_KEYS = ["Delete", "Backspace"];

/**
 * Below this zoom a node's text is too small to read and its handles too small to grab. The
 * canvas then paints nodes as their coloured cards only (index.css `.overview`, and NodeFrame
 * leaves the summary out): with a whole 1 000-node design in view, painting and hit-testing
 * every card's text, shadow and handles is what made panning slow (bench/editor.ts).
 */
const DETAIL_ZOOM = 0.25;
const isOverview = (s: ReactFlowState) => s.transform[2] < DETAIL_ZOOM;

/** The design's graph: nodes by kind, connections with refusals explained, drag and drop from the palette. */
export const Canvas = memo(function Canvas() {
  const { flowNodes, setFlowNodes, flowEdges, setFlowEdges } = useFlowGraph();
  const { connect, moveNodes, removeElements, select, setNotice, setViewCenter, addNode, focus, empty } = useAppStore(
    useShallow((s) => ({
      connect: s.connect,
      moveNodes: s.moveNodes,
      removeElements: s.removeElements,
      select: s.select,
      setNotice: s.setNotice,
      setViewCenter: s.setViewCenter,
      addNode: s.addNode,
      focus: s.focus,
      empty: s.nodes.length === 0,
    })),
  );
  const flow = useReactFlow<FlowNode, Edge>();
  const pane = useRef<HTMLElement>(null);
  const overview = useStore(isOverview);
  const menus = useCanvasMenus(pane);
  const { theme } = useTheme();
  // React Flow mounts once the pane's size is known, so it opens on the right view at once; a
  // design opened from the list, a template or an import mounts it anew, to open the same way.
  const designId = useAppStore((s) => s.designId);
  const [opening, setOpening] = useState<{ designId: string; view: OpeningView } | null>(null);
  useLayoutEffect(() => {
    const s = useAppStore.getState();
    // The instance the Deploy bar puts in focus while nothing is selected.
    setOpening({ designId, view: openingView(s.nodes, instancesOf(s)[0], pane.current!.getBoundingClientRect()) });
  }, [designId]);

  const onNodesChange = useCallback((changes: NodeChange<FlowNode>[]) => setFlowNodes((ns) => applyNodeChanges(changes, ns)), [setFlowNodes]);
  const onEdgesChange = useCallback((changes: EdgeChange[]) => setFlowEdges((es) => applyEdgeChanges(changes, es)), [setFlowEdges]);

  const onConnect = useCallback(
    (c: Connection) => {
      const result = connect(c.source, c.target);
      if (!result.ok) setNotice({ tone: "error", title: "Connection refused", lines: [result.reason] });
    },
    [connect, setNotice],
  );

  // The design takes the positions once, when the drag ends: one undo step, one autosave.
  const onNodeDragStop = useCallback(
    (_e: unknown, _n: FlowNode, dragged: FlowNode[]) => moveNodes(new Map(dragged.map((n) => [n.id, n.position]))),
    [moveNodes],
  );

  // Removing more than one node asks first: Ctrl+A then Delete must not empty a design in one
  // key press, since autosave keeps the result and undo does not survive a reload.
  const [asking, setAsking] = useState<{ nodes: number; edges: number; answer: (yes: boolean) => void } | null>(null);
  // A Delete pressed while the question is open is not a second question.
  const open = useRef(false);
  const onBeforeDelete = useCallback(({ nodes, edges }: { nodes: FlowNode[]; edges: Edge[] }) => {
    if (nodes.length <= 1) return Promise.resolve(true);
    if (open.current) return Promise.resolve(false);
    open.current = true;
    // The design's connections that go, not only those drawn: a collapsed instance draws none of its hidden members' own.
    const gone = new Set(nodes.map((n) => n.id));
    const picked = new Set(edges.map((e) => e.id));
    const going = useAppStore.getState().edges.filter((e) => picked.has(e.id) || gone.has(e.source) || gone.has(e.target)).length;
    return new Promise<boolean>((resolve) =>
      setAsking({
        nodes: nodes.length,
        edges: going,
        answer: (yes) => {
          open.current = false;
          setAsking(null);
          resolve(yes);
        },
      }),
    );
  }, []);

  const onDelete = useCallback(
    ({ nodes, edges }: { nodes: FlowNode[]; edges: Edge[] }) => removeElements(nodes.map((n) => n.id), edges.map((e) => e.id)),
    [removeElements],
  );

  const onSelectionChange = useCallback(
    ({ nodes, edges }: OnSelectionChangeParams<FlowNode, Edge>) => {
      const now = useAppStore.getState().selection;
      const next = { nodes: nodes.map((n) => n.id), edges: edges.map((e) => e.id) };
      if (next.nodes.join() !== now.nodes.join() || next.edges.join() !== now.edges.join()) select(next);
    },
    [select],
  );

  const reportCenter = useCallback(() => {
    const box = pane.current?.getBoundingClientRect();
    if (box) setViewCenter(flow.screenToFlowPosition({ x: box.left + box.width / 2, y: box.top + box.height / 2 }));
  }, [flow, setViewCenter]);

  useEffect(() => {
    if (!focus) return;
    // A node just brought out of a collapsed instance is not in React Flow yet: the design says where it goes.
    const internal = flow.getInternalNode(focus.nodeId);
    const at = internal?.internals.positionAbsolute ?? useAppStore.getState().nodes.find((n) => n.id === focus.nodeId)?.position;
    if (!at) return;
    const { width = UNMEASURED_NODE_SIZE.width, height = UNMEASURED_NODE_SIZE.height } = internal?.measured ?? {};
    void flow.setCenter(at.x + width / 2, at.y + height / 2, { zoom: Math.max(flow.getZoom(), READABLE_ZOOM), duration: 300 });
  }, [focus, flow]);

  const onDragOver = useCallback((e: DragEvent) => {
    if (!e.dataTransfer.types.includes(KIND_MIME)) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = "copy";
  }, []);

  const onDrop = useCallback(
    (e: DragEvent) => {
      const kind = e.dataTransfer.getData(KIND_MIME);
      if (!kind) return;
      e.preventDefault();
      const at = flow.screenToFlowPosition({ x: e.clientX, y: e.clientY });
      addNode(kind, { x: at.x - UNMEASURED_NODE_SIZE.width / 2, y: at.y - 30 });
    },
    [flow, addNode],
  );

  return (
    <main ref={pane} className="relative min-h-0 min-w-0 flex-1" aria-label="Design canvas" onDragOver={onDragOver} onDrop={onDrop}>
      <OverviewContext.Provider value={overview}>
        {opening?.designId === designId && (
          <ReactFlow
            key={designId}
            className={overview ? "overview" : undefined}
            colorMode={theme}
            defaultViewport={opening.view.viewport}
            nodes={flowNodes}
            edges={flowEdges}
            nodeTypes={nodeTypes}
            defaultEdgeOptions={DEFAULT_EDGE}
            onNodesChange={onNodesChange}
            onEdgesChange={onEdgesChange}
            onConnect={onConnect}
            onNodeDragStop={onNodeDragStop}
            onBeforeDelete={onBeforeDelete}
            onDelete={onDelete}
            onSelectionChange={onSelectionChange}
            {...menus.onContextMenu}
            onInit={reportCenter}
            onMoveEnd={reportCenter}
            deleteKeyCode={DELETE_KEYS}
            multiSelectionKeyCode="Shift"
            fitView={opening.view.fit !== undefined}
            fitViewOptions={opening.view.fit}
            minZoom={MIN_ZOOM}
            maxZoom={MAX_ZOOM}
            // Zoomed in, only the nodes in view are in the DOM, so pans stay light. Zoomed out,
            // most of the design is in view anyway: culling would only add work to every frame.
            onlyRenderVisibleElements={!overview}
          >
            <Background />
            <MiniMap pannable zoomable ariaLabel="Minimap" />
            <Controls />
            <Toolbar onFind={menus.openFind} onMenu={menus.openFromKeyboard} />
            <Notes />
          </ReactFlow>
        )}
      </OverviewContext.Provider>
      {empty && <EmptyState />}
      {menus.element}
      {asking && (
        <Confirm title={`Remove ${plural(asking.nodes, "node")}?`} confirm={`Remove ${plural(asking.nodes, "node")}`} cancel="Keep them" onAnswer={asking.answer}>
          <p>
            {asking.edges > 0 ? `They go with their ${plural(asking.edges, "connection")}. ` : ""}Undo (Ctrl+Z) brings them back while this page stays open; after a reload they are gone.
          </p>
        </Confirm>
      )}
    </main>
  );
});
