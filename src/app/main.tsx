import "./hub/captureLogin";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App";
import { PanelBoundary } from "./ui/PanelBoundary";
import { startTheme } from "./ui/useTheme";
import "./index.css";

startTheme();

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    {/* The last resort, for a failure outside every panel: a message and Try again, never a blank page. */}
    <PanelBoundary name="Alchemist" className="h-full">
      <App />
    </PanelBoundary>
  </StrictMode>,
);
