import { memo, useState } from "react";
import { useShallow } from "zustand/react/shallow";
import { useAppStore } from "../store";
import { checkHubUrl, HUB_URL_STORAGE_KEY } from "../hub/hubUrl";
import { clearLogin, loadLogin, loginName, saveLogin, type HubCredentials } from "../hub/credentials";
import { parseCreds } from "../../core/protocol/creds";

type Mode = "saved" | "creds" | "user" | "token";

const input = "mt-1 w-full rounded border border-slate-300 px-2 py-1 text-sm";
const label = "mt-2 block text-xs font-medium text-slate-600";

/**
 * Where the browser connects and with which credentials: the saved login, a .creds file
 * (uploaded or pasted), a user and password, or a token. What is given is kept for the hub
 * named here only (credentials.ts) and is never shown again, only who it logs in as.
 */
export const HubSettings = memo(function HubSettings({ onDone }: { onDone: () => void }) {
  const { hubUrl, setHubUrl, loginChanged } = useAppStore(useShallow((s) => ({ hubUrl: s.hubUrl, setHubUrl: s.setHubUrl, loginChanged: s.loginChanged })));
  const saved = loadLogin();
  const savedName = saved && (loginName(saved.credentials) ?? "a token");
  const [url, setUrl] = useState(hubUrl);
  const [mode, setMode] = useState<Mode>(saved ? "saved" : "creds");
  const [creds, setCreds] = useState("");
  const [user, setUser] = useState("");
  const [pass, setPass] = useState("");
  const [token, setToken] = useState("");
  const [problem, setProblem] = useState<string | null>(null);

  const credentials = (): HubCredentials | string | undefined => {
    switch (mode) {
      case "saved":
        return saved?.credentials;
      case "creds": {
        const parsed = parseCreds(creds);
        return parsed.ok ? { kind: "creds", creds } : parsed.message;
      }
      case "user":
        return user.trim() && pass ? { kind: "user", user: user.trim(), pass } : "give the user and its password";
      case "token":
        return token.trim() ? { kind: "token", token: token.trim() } : "give the token";
    }
  };

  const connect = () => {
    const checked = checkHubUrl(url);
    if (!checked.ok) return setProblem(checked.message);
    const c = credentials();
    if (typeof c === "string") return setProblem(c);
    if (c) saveLogin({ hub: checked.url, credentials: c });
    localStorage.setItem(HUB_URL_STORAGE_KEY, checked.url);
    setHubUrl(checked.url);
    loginChanged();
    onDone();
  };

  const logOut = () => {
    clearLogin();
    loginChanged();
    onDone();
  };

  return (
    <form
      aria-label="Hub settings"
      className="absolute right-0 top-10 z-20 w-[28rem] rounded-lg border border-slate-200 bg-white p-3 shadow-lg"
      onSubmit={(e) => {
        e.preventDefault();
        connect();
      }}
    >
      <label className="block text-xs font-medium text-slate-600" htmlFor="hub-url">
        Hub WebSocket URL
      </label>
      <input id="hub-url" className={`${input} font-mono`} value={url} onChange={(e) => setUrl(e.target.value)} placeholder="ws://127.0.0.1:9222" />
      <p className="mt-2 text-xs text-slate-600" aria-label="Login">
        {saved ? `Logged in as ${savedName} (for ${saved.hub})` : "Not logged in"}
      </p>
      <label className={label} htmlFor="hub-login-mode">
        Log in with
      </label>
      <select id="hub-login-mode" className={input} value={mode} onChange={(e) => setMode(e.target.value as Mode)}>
        {saved && <option value="saved">the saved login ({savedName})</option>}
        <option value="creds">a .creds file</option>
        <option value="user">a user and password</option>
        <option value="token">a token</option>
      </select>
      {mode === "creds" && (
        <>
          <label className={label} htmlFor="hub-creds">
            Credentials (.creds)
          </label>
          <textarea
            id="hub-creds"
            className={`${input} h-24 font-mono text-xs`}
            value={creds}
            spellCheck={false}
            autoComplete="off"
            onChange={(e) => setCreds(e.target.value)}
            placeholder="-----BEGIN NATS USER JWT-----"
          />
          <label className={label}>
            Upload .creds file
            <input
              type="file"
              accept=".creds,text/plain"
              className="mt-1 block text-xs"
              onChange={(e) => {
                const file = e.target.files?.[0];
                e.target.value = "";
                if (file) void file.text().then(setCreds);
              }}
            />
          </label>
        </>
      )}
      {mode === "user" && (
        <>
          <label className={label} htmlFor="hub-user">
            User
          </label>
          <input id="hub-user" className={input} value={user} autoComplete="username" onChange={(e) => setUser(e.target.value)} />
          <label className={label} htmlFor="hub-pass">
            Password
          </label>
          <input id="hub-pass" type="password" className={input} value={pass} autoComplete="current-password" onChange={(e) => setPass(e.target.value)} />
        </>
      )}
      {mode === "token" && (
        <>
          <label className={label} htmlFor="hub-token">
            Token
          </label>
          <input id="hub-token" type="password" className={input} value={token} autoComplete="off" onChange={(e) => setToken(e.target.value)} />
        </>
      )}
      {problem && (
        <p role="alert" className="mt-2 text-xs text-red-600">
          {problem}
        </p>
      )}
      <div className="mt-3 flex justify-end gap-2">
        {saved && (
          <button type="button" className="mr-auto rounded px-2 py-1 text-red-700 hover:bg-red-50" onClick={logOut}>
            Log out
          </button>
        )}
        <button type="button" className="rounded px-2 py-1 hover:bg-slate-100" onClick={onDone}>
          Cancel
        </button>
        <button type="submit" className="rounded bg-violet-600 px-3 py-1 text-white hover:bg-violet-700">
          Connect
        </button>
      </div>
    </form>
  );
});
