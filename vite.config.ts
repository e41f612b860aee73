import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";
import tailwindcss from "@tailwindcss/vite";

// CodeMirror (the Nix editor and preview) and dagre (auto-layout) are imported dynamically by
// the app, so they land in chunks of their own that load on first use; the compiler runs in a
// module worker.
export default defineConfig({
  plugins: [react(), tailwindcss()],
  worker: { format: "es" },
  build: { outDir: "dist/web", emptyOutDir: true, sourcemap: true },
});
