import { useEffect, useState } from "react";
import { useShallow } from "zustand/react/shallow";
import { useAppStore } from "../store";
import { credentialsFor, loadLogin, onLoginLink, saveLogin, takeLoginLink } from "./credentials";
import { parseCreds } from "../../core/protocol/creds";
import type { HubLink } from "./connection";
import { HUB_URL_STORAGE_KEY, loadRuntimeConfig, resolveHubUrl } from "./hubUrl";

/**
 * Resolves the hub, takes in the login link the page was opened with, and keeps one connection
 * to the hub open with the credentials given for it (made again when the hub or login changes).
 * Returns the deploy runtime and design store of the connection (null while there is none).
 */
export function useHubConnection(): HubLink | null {
  const { hubUrl, loginVersion, setHubUrl, setAskedHub, loginChanged, setNotice } = useAppStore(
    useShallow((s) => ({
      hubUrl: s.hubUrl,
      loginVersion: s.loginVersion,
      setHubUrl: s.setHubUrl,
      setAskedHub: s.setAskedHub,
      loginChanged: s.loginChanged,
      setNotice: s.setNotice,
    })),
  );

  // The other members of the page's own hub, when it is a cluster: the connection fails over to them.
  const [members, setMembers] = useState<readonly string[]>([]);
  useEffect(() => {
    let cancelled = false;
    let stopListening: (() => void) | undefined;
    void loadRuntimeConfig().then((runtime) => {
      if (cancelled) return;
      const { home, members: others, asked } = resolveHubUrl({ search: location.search, hostname: location.hostname, saved: localStorage.getItem(HUB_URL_STORAGE_KEY), runtime });
      // Taken only here, after the cancelled check: React's development double effect would
      // otherwise take the link in the run it throws away.
      const takeLink = () => {
        const link = takeLoginLink();
        if (link === undefined) return;
        const parsed = parseCreds(link);
        if (parsed.ok) {
          // A login link is for the page's own hub: it was printed by the stack that serves it.
          saveLogin({ hub: home, credentials: { kind: "creds", creds: link } });
          loginChanged();
        } else {
          setNotice({ tone: "error", title: "Login link not used", lines: [`The link holds no valid credentials (${parsed.message}). Open the whole link that alchemist up printed again.`] });
        }
      };
      takeLink();
      stopListening = onLoginLink(takeLink);
      setMembers(others);
      if (asked) setAskedHub({ asked, home });
      else setHubUrl(home);
    });
    return () => {
      cancelled = true;
      stopListening?.();
    };
  }, [setHubUrl, setAskedHub, loginChanged, setNotice]);

  const [link, setLink] = useState<HubLink | null>(null);
  useEffect(() => {
    if (!hubUrl) return;
    let closed = false;
    let close: (() => void) | undefined;
    const credentials = credentialsFor(loadLogin(), hubUrl);
    // The NATS client is over a quarter of the bundle: the first render does not wait for it.
    void import("./connection").then(({ connectHub }) => {
      if (!closed) close = connectHub([hubUrl, ...members], credentials, useAppStore, setLink);
    });
    return () => {
      closed = true;
      close?.();
    };
  }, [hubUrl, members, loginVersion]);
  return link;
}
