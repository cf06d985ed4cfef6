/**
 * Jest setup file (jest.config.js `setupFiles`): the Pulumi SDK captures a stack trace for every
 * resource (`Resource.callsites`, every frame) and every output promise (`debuggablePromise`), for
 * its own debugging; no test reads them. Jest source-maps every captured stack, which was most of
 * the CPU time of a test under mocks. Those two captures are formatted plainly (V8's own format,
 * positions in the transformed file; a promise's cut to its first 4 frames, the SDK's function and
 * its callers, which is all its leak report shows usefully; `npm run plan` keeps 1, see
 * automation/offline/runtime.ts); every other stack, a failing assertion's or a thrown error's,
 * still goes through Jest's source-mapping formatter.
 */
import * as vm from "vm";

type Format = (error: Error, frames: NodeJS.CallSite[]) => string;

/** The test file's realm has its own `Error`; Jest installs its formatter on the worker's. */
const workerError = vm.runInThisContext("Error") as ErrorConstructor;

/** The SDK's own captures: the frame that called `new Error()` is one of these functions. */
const SDK_CAPTURE = /[\\/]@pulumi[\\/]pulumi[\\/](resource|runtime[\\/]debuggable)\.js$/;
/** Frames kept per capturer: `callsites` parses every frame for the resource's source position. */
const SDK_CAPTURERS = new Map([
  ["callsites", Infinity],
  ["debuggablePromise", 4],
]);

/** The SDK's own capture (how many frames to keep), or undefined for any other stack. */
function sdkCapture(frames: NodeJS.CallSite[]): number | undefined {
  const top = frames[0];
  if (top === undefined || !SDK_CAPTURE.test(top.getFileName() ?? "")) return undefined;
  return SDK_CAPTURERS.get(top.getFunctionName() ?? "");
}

const plain: Format = (error, frames) =>
  `${error.name}: ${error.message}${frames.map((f) => `\n    at ${String(f)}`).join("")}`;

Error.prepareStackTrace = (error: Error, frames: NodeJS.CallSite[]): string => {
  const kept = sdkCapture(frames);
  if (kept !== undefined) return plain(error, frames.slice(0, kept));
  // Read at call time: Jest installs its formatter after the setup files have run.
  const jest = workerError.prepareStackTrace as Format | undefined;
  return jest ? jest(error, frames) : plain(error, frames);
};
