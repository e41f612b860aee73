import { ReactFlowProvider } from "@xyflow/react";
import { Header } from "./header/Header";
import { Canvas } from "./canvas/Canvas";
import { Inspector } from "./inspector/Inspector";
import { BottomPanel } from "./output/BottomPanel";
import { Palette } from "./palette/Palette";
import { Notice } from "./notices/Notice";
import { PanelBoundary } from "./ui/PanelBoundary";
import { useCompiler } from "./compile/useCompiler";
import { useAppStore } from "./store";
import { useHubConnection } from "./hub/useHubConnection";
import { AskHubDialog, LoginNotice } from "./notices/LoginNotice";
import { DeployBar } from "./deploy/DeployBar";
import { DeploymentPanel } from "./deploy/DeploymentView";
import { DeployRuntimeContext, useDeployFollowing } from "./hub/runtimeContext";
import { DesignConflict } from "./notices/DesignConflict";
import { DesignStoreContext } from "./hub/designStoreContext";
import { SizedPanel, Splitter, usePanelLayout } from "./ui/Splitter";

const closeDeployment = () => useAppStore.getState().openDeployment(null);

export function App() {
  const link = useHubConnection();
  const runtime = link?.runtime ?? null;
  useCompiler();
  useDeployFollowing(runtime);
  const panels = usePanelLayout();
  const { layout } = panels;
  return (
    <DeployRuntimeContext.Provider value={runtime}>
      <ReactFlowProvider>
        {/* Each panel fails on its own: the others keep working, and it offers a way back. */}
        <div className="flex h-full flex-col bg-slate-100 text-slate-900">
          <PanelBoundary name="Header" className="h-12 shrink-0">
            {/* The design list and the deploy history read the versions of a design from the hub. */}
            <DesignStoreContext.Provider value={link?.designs ?? null}>
              <Header />
            </DesignStoreContext.Provider>
          </PanelBoundary>
          <PanelBoundary name="Login notice">
            <LoginNotice />
          </PanelBoundary>
          <PanelBoundary name="Deploy bar" className="h-10 shrink-0">
            <DesignStoreContext.Provider value={link?.designs ?? null}>
              <DeployBar />
            </DesignStoreContext.Provider>
          </PanelBoundary>
          {/* The deployment panel lies over this row only, so it never covers the Deploy bar (its History, its Deploy). */}
          <div className="relative flex min-h-0 flex-1">
            <PanelBoundary name="Deployment" onClose={closeDeployment} className="absolute inset-y-0 right-0 z-20 w-[760px] max-w-full shadow-2xl">
              <DeploymentPanel />
            </PanelBoundary>
            <SizedPanel panel="palette" name="Palette" layout={layout}>
              <Palette />
            </SizedPanel>
            <Splitter panel="palette" side="left" {...panels} />
            <div className="flex min-w-0 flex-1 flex-col">
              <PanelBoundary name="Canvas" className="min-h-0 flex-1">
                <Canvas />
              </PanelBoundary>
              <Splitter panel="output" side="below" {...panels} />
              <SizedPanel panel="output" name="Output panel" layout={layout}>
                <BottomPanel />
              </SizedPanel>
            </div>
            <Splitter panel="inspector" side="right" {...panels} />
            <SizedPanel panel="inspector" name="Inspector" layout={layout}>
              <Inspector />
            </SizedPanel>
          </div>
          <PanelBoundary name="Notice">
            <Notice />
          </PanelBoundary>
          <PanelBoundary name="Design conflict">
            <DesignConflict />
          </PanelBoundary>
          <PanelBoundary name="Hub question">
            <AskHubDialog />
          </PanelBoundary>
        </div>
      </ReactFlowProvider>
    </DeployRuntimeContext.Provider>
  );
}
