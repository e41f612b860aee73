import { canonicalJson } from "../../core/design/canonical";
import { hasErrors } from "../../core/validate/diagnostic";
import { currentDesign, useAppStore } from "../store";
import { analysisIsCurrent } from "../store/analysisSlice";
import type { Analysis } from "../store/state";
import { fileStem, flakeZip, readImport } from "./transfer";
import { plural } from "../ui/text";

function download(name: string, data: BlobPart, type: string): void {
  const url = URL.createObjectURL(new Blob([data], { type }));
  const a = Object.assign(document.createElement("a"), { href: url, download: name });
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** The analysis of the design as it is now: the worker may still be compiling the last edit. */
function currentAnalysis(): Promise<Analysis> {
  const fresh = (s = useAppStore.getState()) => (analysisIsCurrent(s) ? s.analysis : null);
  const now = fresh();
  if (now) return Promise.resolve(now);
  return new Promise((resolve) => {
    const stop = useAppStore.subscribe((s) => {
      const a = fresh(s);
      if (a) {
        stop();
        resolve(a);
      }
    });
  });
}

export function exportDesign(): void {
  const design = currentDesign(useAppStore.getState());
  download(`${fileStem(design.name)}.json`, canonicalJson(design), "application/json");
}

export async function exportFlake(): Promise<void> {
  const analysis = await currentAnalysis();
  const { setNotice, setBottomTab, designName } = useAppStore.getState();
  if (hasErrors(analysis.diagnostics)) {
    const count = analysis.diagnostics.filter((d) => d.severity === "error").length;
    setNotice({ tone: "error", title: "The flake was not exported", lines: [`The design has ${plural(count, "error")}; the Problems panel lists them. Fix them and export again.`] });
    setBottomTab("problems");
    return;
  }
  download(`${fileStem(designName)}-flake.zip`, flakeZip(analysis.files) as Uint8Array<ArrayBuffer>, "application/zip");
}

/** Opens a chosen file as a new design; a file that is not one leaves everything as it was and says why. */
export async function importFile(file: File): Promise<void> {
  const result = readImport(file.name, new Uint8Array(await file.arrayBuffer()));
  const { setNotice, startDesign } = useAppStore.getState();
  if (!result.ok) {
    setNotice({ tone: "error", title: `${file.name} was not imported`, lines: result.problems });
    return;
  }
  startDesign(result.design);
  setNotice({ tone: "info", title: `Imported ${result.design.name}`, lines: [`${plural(result.design.nodes.length, "node")}; your previous design is kept in Designs.`] });
}
