// The baseline of bench/editor.ts: React Flow as its docs set it up (controlled nodes and edges,
// default node and edge types, nothing else on the page), showing the benchmark's design. The
// canvas gets the app canvas's size and zoom limit, so both show the same part of the graph.
import { createRoot } from "react-dom/client";
import { ReactFlow, useEdgesState, useNodesState, type Edge, type Node } from "@xyflow/react";
import "@xyflow/react/dist/style.css";

interface BenchGraph {
  readonly nodes: readonly { id: string; kind: string; position: { x: number; y: number } }[];
  readonly edges: readonly { id: string; source: string; target: string }[];
  readonly width: number;
  readonly height: number;
}

// Put in by the bench before the page's scripts run, as the app's design sits in localStorage.
const graph = (window as unknown as { benchGraph: BenchGraph }).benchGraph;
const initialNodes: Node[] = graph.nodes.map((n) => ({ id: n.id, position: n.position, data: { label: `${n.kind} ${n.id}` } }));
const initialEdges: Edge[] = graph.edges.map((e) => ({ id: e.id, source: e.source, target: e.target }));

function Flow() {
  const [nodes, , onNodesChange] = useNodesState(initialNodes);
  const [edges, , onEdgesChange] = useEdgesState(initialEdges);
  return (
    <div style={{ width: graph.width, height: graph.height }}>
      <ReactFlow nodes={nodes} edges={edges} onNodesChange={onNodesChange} onEdgesChange={onEdgesChange} fitView minZoom={0.05} />
    </div>
  );
}

createRoot(document.getElementById("root")!).render(<Flow />);
