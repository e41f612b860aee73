import { memo } from "react";
import { Background, Controls, MiniMap, ReactFlow } from "@xyflow/react";

export const Canvas = memo(function Canvas() {
  return (
    <main className="relative h-full flex-1" aria-label="Design canvas">
      <ReactFlow nodes={[]} edges={[]} fitView proOptions={{ hideAttribution: false }}>
        <Background />
        <MiniMap pannable zoomable ariaLabel="Minimap" />
        <Controls />
      </ReactFlow>
    </main>
  );
});
