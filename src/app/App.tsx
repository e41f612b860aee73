import { useEffect } from "react";
import { ReactFlowProvider } from "@xyflow/react";
import { Header } from "./components/Header";
import { Canvas } from "./canvas/Canvas";
import { Inspector } from "./inspector/Inspector";
import { BottomPanel } from "./panels/BottomPanel";
import { Palette } from "./palette/Palette";
import { Notice } from "./ui/Notice";
import { useCompiler } from "./compile/useCompiler";
import { useAppStore } from "./store";
import { HUB_URL_STORAGE_KEY, loadRuntimeConfig, resolveHubUrl } from "./hub/hubUrl";
import { DeployBar } from "./deploy/DeployBar";
import { DeploymentPanel } from "./deploy/DeploymentView";
import { useDeployFollowing } from "./deploy/runtime";

function useHubConnection() {
  const hubUrl = useAppStore((s) => s.hubUrl);
  const setHubUrl = useAppStore((s) => s.setHubUrl);
  const setHubStatus = useAppStore((s) => s.setHubStatus);

  useEffect(() => {
    let cancelled = false;
    void loadRuntimeConfig().then((runtime) => {
      if (cancelled) return;
      setHubUrl(
        resolveHubUrl({ search: location.search, hostname: location.hostname, saved: localStorage.getItem(HUB_URL_STORAGE_KEY), runtime }),
      );
    });
    return () => {
      cancelled = true;
    };
  }, [setHubUrl]);

  useEffect(() => {
    if (!hubUrl) return;
    let closed = false;
    let close: (() => void) | undefined;
    // The NATS client is over a quarter of the bundle: the first render does not wait for it.
    void import("./hub/connection").then(({ connectHub }) => {
      if (!closed) close = connectHub(hubUrl, setHubStatus);
    });
    return () => {
      closed = true;
      close?.();
    };
  }, [hubUrl, setHubStatus]);
}

export function App() {
  useHubConnection();
  useCompiler();
  useDeployFollowing();
  return (
    <ReactFlowProvider>
      <div className="flex h-full flex-col bg-slate-100 text-slate-900">
        <Header />
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
      </div>
    </ReactFlowProvider>
  );
}
