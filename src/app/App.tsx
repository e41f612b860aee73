import { ReactFlowProvider } from "@xyflow/react";
import { Header } from "./components/Header";
import { Canvas } from "./canvas/Canvas";
import { Inspector } from "./inspector/Inspector";
import { BottomPanel } from "./panels/BottomPanel";
import { Palette } from "./palette/Palette";
import { Notice } from "./ui/Notice";
import { useCompiler } from "./compile/useCompiler";
import { useHubConnection } from "./hub/useHubConnection";
import { AskHubDialog, LoginNotice } from "./hub/LoginNotice";
import { DeployBar } from "./deploy/DeployBar";
import { DeploymentPanel } from "./deploy/DeploymentView";
import { useDeployFollowing } from "./deploy/runtime";

export function App() {
  useHubConnection();
  useCompiler();
  useDeployFollowing();
  return (
    <ReactFlowProvider>
      <div className="flex h-full flex-col bg-slate-100 text-slate-900">
        <Header />
        <LoginNotice />
        <DeployBar />
        <div className="flex min-h-0 flex-1">
          <Palette />
          <div className="flex min-w-0 flex-1 flex-col">
            <Canvas />
            <BottomPanel />
          </div>
          <Inspector />
        </div>
        <DeploymentPanel />
        <Notice />
        <AskHubDialog />
      </div>
    </ReactFlowProvider>
  );
}
