import { memo } from "react";
import { useShallow } from "zustand/react/shallow";
import { useAppStore } from "../store";
import { Dialog } from "../ui/Dialog";

/** Under the header while the hub refuses the browser: that it is not logged in, and how to log in. */
export const LoginNotice = memo(function LoginNotice() {
  const { hub, setHubSettingsOpen } = useAppStore(useShallow((s) => ({ hub: s.hub, setHubSettingsOpen: s.setHubSettingsOpen })));
  if (hub.state !== "unauthorized") return null;
  const refused = hub.loggedIn === true;
  const title = refused ? "Login refused" : "Not logged in";
  return (
    <section role="alert" aria-label={title} className="flex items-start gap-3 border-b border-amber-200 bg-amber-50 px-4 py-2 text-sm text-amber-900">
      <div className="flex-1">
        <p className="font-semibold">{title}</p>
        {refused ? (
          <p>
            The hub at <span className="font-mono">{hub.url}</span> refused the credentials{hub.identity ? ` of ${hub.identity}` : ""}
            {hub.detail ? ` (${hub.detail})` : ""}: they are for another hub, or its keys were made anew. Log in again with a new login link
            (<code>alchemist up</code> prints one; <code>alchemist creds --person NAME</code> makes one for a person), or give other credentials under Hub
            settings.
          </p>
        ) : (
          <p>
            The hub at <span className="font-mono">{hub.url}</span> takes no connection without credentials. To log in, open the login link that{" "}
            <code>alchemist up</code> printed (the line “Log in … http://…/#login=…”), or give a .creds file, a user and password or a token for this hub
            under Hub settings.
          </p>
        )}
      </div>
      <button type="button" className="rounded border border-amber-300 px-2 py-1 hover:bg-amber-100" onClick={() => setHubSettingsOpen(true)}>
        Log in
      </button>
    </section>
  );
});

/**
 * A `?hub=` link that names another hub than the page's own is asked about before anything
 * connects: a link from anywhere could otherwise point the browser at a hub that feeds it
 * false deployments. The saved login is not sent there either way (it belongs to its own hub).
 */
export const AskHubDialog = memo(function AskHubDialog() {
  const { askedHub, setAskedHub, setHubUrl } = useAppStore(useShallow((s) => ({ askedHub: s.askedHub, setAskedHub: s.setAskedHub, setHubUrl: s.setHubUrl })));
  if (!askedHub) return null;
  let decided = false;
  const decide = (connect: boolean) => {
    if (decided) return;
    decided = true;
    if (!connect) {
      // Declined: the address no longer asks on the next reload.
      const params = new URLSearchParams(location.search);
      params.delete("hub");
      const search = params.toString();
      history.replaceState(history.state, "", location.pathname + (search ? `?${search}` : "") + location.hash);
    }
    setAskedHub(null);
    setHubUrl(connect ? askedHub.asked : askedHub.home);
  };
  return (
    <Dialog title="Connect to another hub?" onClose={() => decide(false)}>
      <p className="text-sm">This page's address asks Alchemist to connect to the hub</p>
      <p className="my-2 break-all rounded bg-slate-100 px-2 py-1 font-mono text-sm">{askedHub.asked}</p>
      <p className="text-sm">
        instead of <span className="font-mono">{askedHub.home}</span>. Connect only to a hub you trust: what it sends is shown as your leaves and
        deployments. Your saved login is not sent to it.
      </p>
      <div className="mt-4 flex justify-end gap-2">
        <button type="button" className="rounded px-3 py-1 hover:bg-slate-100" onClick={() => decide(false)}>
          Cancel
        </button>
        <button type="button" className="rounded bg-violet-600 px-3 py-1 text-white hover:bg-violet-700" onClick={() => decide(true)}>
          Connect
        </button>
      </div>
    </Dialog>
  );
});
