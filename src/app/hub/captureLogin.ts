// Imported first by main.tsx: ES modules run in import order, so the login link's secret leaves
// the address bar before any other module of the app (or anything it loads) can read the URL.
import { captureLoginLink } from "./credentials";

captureLoginLink();
// A login link opened where the app is already open (after "Login refused", say) is only a
// change of the fragment: taken out of the address bar as soon as it arrives, like the first.
addEventListener("hashchange", () => captureLoginLink());
