import { useEffect, useState } from "react";
import { ageText } from "../../core/protocol";
import { messageOf } from "../../core/errors";
import { useDeployRuntime } from "../hub/runtimeContext";

/**
 * How long the hub keeps a command its leaf has not taken, in words, as the hub's command stream
 * says (its max age, asked once per connection); the reason when the hub could not be asked.
 */
function useCommandsKept(): { kept?: string; problem?: string } {
  const runtime = useDeployRuntime();
  const [answer, setAnswer] = useState<{ kept?: string; problem?: string }>({});
  useEffect(() => {
    let live = true;
    runtime?.commandsKeptSeconds().then(
      (s) => live && setAnswer({ kept: ageText(s) }),
      (e: unknown) => live && setAnswer({ problem: messageOf(e) }),
    );
    return () => void (live = false);
  }, [runtime]);
  return answer;
}

function keptFor({ kept, problem }: { kept?: string; problem?: string }): string {
  if (kept) return `The hub keeps a command for ${kept}: one its leaf has not taken by then is dropped and never runs.`;
  return problem ? `How long the hub keeps it could not be read (${problem}).` : "Asking the hub how long it keeps a command…";
}

/** The deploy dialog's word on a leaf that is offline: the command will wait for it. */
export function WaitNotice({ leafId }: { leafId: string }) {
  const kept = useCommandsKept();
  return (
    <p role="note" aria-label="Command will wait" className="mt-2 rounded border border-amber-200 bg-amber-50 p-2 text-sm text-amber-900">
      Leaf {leafId} is offline: the command will wait in the hub's command stream and run when the leaf comes back. {keptFor(kept)}
    </p>
  );
}

/** A deployment no leaf has taken yet: its command waits in the stream for `leafId`. */
export function WaitingForLeaf({ leafId }: { leafId: string }) {
  const kept = useCommandsKept();
  return (
    <p role="status" aria-label="Waiting for the leaf" className="rounded border border-amber-200 bg-amber-50 p-2 text-amber-900">
      <span className="font-medium">waiting for leaf {leafId}</span>: it starts when the leaf takes the command, and Cancel now means it never starts. {keptFor(kept)}
    </p>
  );
}
