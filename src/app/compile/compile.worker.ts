import { analyse, type AnalyseRequest } from "./analyse";

// Compiling a 1 000-node design takes tens of milliseconds: off the main thread, panning and
// typing never wait for it.
self.onmessage = (event: MessageEvent<AnalyseRequest>) => {
  self.postMessage(analyse(event.data));
};
