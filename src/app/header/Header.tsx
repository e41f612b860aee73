import { memo, useRef, useState } from "react";
import { useAppStore } from "../store";
import { exportDesign, exportFlake, importFile } from "../files/actions";
import { TemplateList } from "../templates/TemplateList";
import { Dialog } from "../ui/Dialog";
import { PanelBoundary } from "../ui/PanelBoundary";
import { ConnectionIndicator } from "./ConnectionIndicator";
import { DesignList } from "./DesignList";
import { chooseTheme, useTheme } from "../ui/useTheme";
import { THEME_CHOICES, type ThemeChoice } from "../ui/theme";

const THEME_NAMES: Record<ThemeChoice, string> = { system: "System", light: "Light", dark: "Dark" };

/** System follows the operating system's light or dark preference as it changes; Light and Dark hold across reloads. */
function ThemePicker() {
  const { choice } = useTheme();
  return (
    <select aria-label="Theme" title="Theme" className="rounded border border-slate-300 bg-white px-1 py-1 text-sm" value={choice} onChange={(e) => chooseTheme(e.target.value as ThemeChoice)}>
      {THEME_CHOICES.map((c) => (
        <option key={c} value={c}>
          {THEME_NAMES[c]}
        </option>
      ))}
    </select>
  );
}

const action = "rounded border border-slate-300 px-2 py-1 text-sm hover:bg-slate-100";

export const Header = memo(function Header() {
  const designName = useAppStore((s) => s.designName);
  const [dialog, setDialog] = useState<"designs" | "templates" | null>(null);
  const picker = useRef<HTMLInputElement>(null);
  const close = () => setDialog(null);
  return (
    <header className="flex h-12 items-center justify-between gap-4 border-b border-slate-200 bg-white px-4">
      <div className="flex min-w-0 items-center gap-3">
        <span className="font-semibold text-violet-700">Alchemist</span>
        <span aria-hidden className="text-slate-300">/</span>
        <h1 className="truncate text-base font-medium" aria-label="Design name">
          {designName}
        </h1>
      </div>
      <nav aria-label="Design" className="flex items-center gap-1">
        <button type="button" className={action} onClick={() => setDialog("designs")}>
          Designs
        </button>
        <button type="button" className={action} onClick={() => setDialog("templates")}>
          Templates
        </button>
        <button type="button" className={action} onClick={() => picker.current?.click()}>
          Import
        </button>
        <input
          ref={picker}
          type="file"
          accept=".json,.zip,application/json,application/zip"
          className="hidden"
          aria-hidden
          tabIndex={-1}
          onChange={(e) => {
            const file = e.target.files?.[0];
            e.target.value = "";
            if (file) void importFile(file);
          }}
        />
        <button type="button" className={action} onClick={exportDesign}>
          Export design
        </button>
        <button type="button" className={`${action} border-violet-600 bg-violet-600 text-white hover:bg-violet-700`} onClick={() => void exportFlake()}>
          Export flake
        </button>
      </nav>
      <div className="flex items-center gap-3">
        <ThemePicker />
        <ConnectionIndicator />
      </div>
      {dialog === "designs" && (
        <Dialog title="Designs" onClose={close}>
          <PanelBoundary name="Designs" onClose={close}>
            <DesignList onOpened={close} />
          </PanelBoundary>
        </Dialog>
      )}
      {dialog === "templates" && (
        <Dialog title="Templates" onClose={close} wide>
          <PanelBoundary name="Templates" onClose={close}>
            <TemplateList onStarted={close} />
          </PanelBoundary>
        </Dialog>
      )}
    </header>
  );
});
