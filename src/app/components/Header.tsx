import { memo } from "react";
import { useAppStore } from "../store";
import { ConnectionIndicator } from "./ConnectionIndicator";

export const Header = memo(function Header() {
  const designName = useAppStore((s) => s.designName);
  return (
    <header className="flex h-12 items-center justify-between border-b border-slate-200 bg-white px-4">
      <div className="flex items-center gap-3">
        <span className="font-semibold text-violet-700">Alchemist</span>
        <span aria-hidden className="text-slate-300">/</span>
        <h1 className="text-base font-medium" aria-label="Design name">
          {designName}
        </h1>
      </div>
      <ConnectionIndicator />
    </header>
  );
});
