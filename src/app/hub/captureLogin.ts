// Imported first by main.tsx: ES modules run in import order, so the login link's secret leaves
// the address bar before any other module of the app (or anything it loads) can read the URL.
import { captureLoginLink } from "./credentials";

captureLoginLink();
