import { instanceLabel } from "../derive/instances";
import { useAppStore } from "../store";

/** The label of the instance with host id `hostId`, after a space, beside the id wherever that host is named; nothing when it has none. */
export function InstanceLabel({ hostId }: { hostId: string | undefined }) {
  const label = useAppStore((s) => instanceLabel(s, hostId));
  return label ? (
    <>
      {" "}
      <span className="min-w-0 truncate font-medium text-slate-700" title={label}>
        {label}
      </span>
    </>
  ) : null;
}
