import { Fragment, memo } from "react";
import { leafState } from "../../core/protocol";
import { useAppStore } from "../store";
import { HeaderRow } from "./HeaderRow";
import { time } from "../derive/format";
import { TONE } from "./styles";
import { useNow } from "../ui/useNow";

/** Every leaf of `cim_leaves`, live: state, host, version, instances, the deployment it runs, and whether a failed rollback left it needing a person. */
export const LeavesPanel = memo(function LeavesPanel() {
  const leaves = useAppStore((s) => s.leaves);
  const openDeployment = useAppStore((s) => s.openDeployment);
  // A leaf that dies without saying so turns offline by its heartbeat's age alone.
  const now = useNow(1000);
  const list = Object.values(leaves).sort((a, b) => (a.leafId < b.leafId ? -1 : 1));
  return (
    <section aria-label="Leaves" className="absolute left-2 top-full z-30 mt-1 w-[640px] rounded-lg border border-slate-200 bg-white p-3 shadow-xl">
      {list.length === 0 ? (
        <p className="text-slate-500">No leaf has registered with the hub yet: start an executor (`alchemist executor --leaf-id …`).</p>
      ) : (
        <table className="w-full text-left text-xs">
          <HeaderRow columns={["Leaf", "State", "Host", "Version", "Instances", "Running", "Last seen"]} />
          <tbody>
            {list.map((leaf) => {
              const state = leafState(leaf, now);
              const attention = leaf.attention;
              return (
                <Fragment key={leaf.leafId}>
                  <tr aria-label={`Leaf ${leaf.leafId}`} className="border-t border-slate-100">
                    <td className="py-1 font-mono">{leaf.leafId}</td>
                    <td>
                      <span className={`rounded px-1.5 py-0.5 ${TONE[state]}`}>{state === "offline" ? "offline" : `online, ${state}`}</span>
                    </td>
                    <td>{leaf.hostname}</td>
                    <td>{leaf.version}</td>
                    <td>{leaf.instances.includes("*") ? "any" : leaf.instances.join(", ")}</td>
                    <td>
                      {leaf.currentDeploymentId ? (
                        <button type="button" className="font-mono text-violet-700 underline" onClick={() => openDeployment(leaf.currentDeploymentId)}>
                          {leaf.currentDeploymentId}
                        </button>
                      ) : (
                        "—"
                      )}
                    </td>
                    <td>{time(leaf.lastSeen)}</td>
                  </tr>
                  {attention && (
                    <tr aria-label={`Leaf ${leaf.leafId} needs attention`}>
                      <td colSpan={7} className="rounded bg-red-50 px-1 pb-1 text-red-800">
                        <strong>Needs attention:</strong> rolling back{" "}
                        <button type="button" className="font-mono underline" onClick={() => openDeployment(attention.deploymentId)}>
                          {attention.deploymentId}
                        </button>{" "}
                        failed. {attention.reason}
                      </td>
                    </tr>
                  )}
                </Fragment>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
});
