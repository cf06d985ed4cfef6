/**
 * Jest setup file (jest.config.js `setupFiles`). The Pulumi SDK captures a stack trace for every
 * output promise (`debuggablePromise`, for its report of promises left pending at exit) and every
 * resource (`Resource.callsites`, every frame, for the resource's source position); no test reads
 * them. Under Jest each capture took up to 100 frames and was source-mapped: most of the CPU time
 * of a test under mocks. Here a promise's capture keeps 4 frames (`npm run plan` keeps 1, see
 * automation/offline/runtime.ts) and both are formatted plainly (V8's own format, positions in
 * the transformed file). Every other stack, a failing assertion's or a thrown error's, keeps
 * Jest's depth and source-mapping formatter.
 */
import * as vm from "vm";

type Format = (error: Error, frames: NodeJS.CallSite[]) => string;

/** The test file's realm has its own `Error`; Jest installs its formatter on the worker's. */
const workerError = vm.runInThisContext("Error") as ErrorConstructor;

/** The SDK's own captures: the frame that called `new Error()` is one of these functions. */
const SDK_CAPTURE = /[\\/]@pulumi[\\/]pulumi[\\/](resource|runtime[\\/]debuggable)\.js$/;
const SDK_CAPTURERS = new Set(["callsites", "debuggablePromise"]);

function sdkCapture(frames: NodeJS.CallSite[]): boolean {
  const top = frames[0];
  return (
    top !== undefined &&
    SDK_CAPTURERS.has(top.getFunctionName() ?? "") &&
    SDK_CAPTURE.test(top.getFileName() ?? "")
  );
}

const plain: Format = (error, frames) =>
  `${error.name}: ${error.message}${frames.map((f) => `\n    at ${String(f)}`).join("")}`;

Error.prepareStackTrace = (error: Error, frames: NodeJS.CallSite[]): string => {
  if (sdkCapture(frames)) return plain(error, frames);
  // Read at call time: Jest installs its formatter after the setup files have run.
  const jest = workerError.prepareStackTrace as Format | undefined;
  return jest ? jest(error, frames) : plain(error, frames);
};

/** SDK-internal (no declaration); the SDK calls it through the module's exports object. */
const debuggable = require("@pulumi/pulumi/runtime/debuggable") as {
  debuggablePromise: <T>(p: Promise<T>, ctx: unknown) => Promise<T>;
};
const capture = debuggable.debuggablePromise;
debuggable.debuggablePromise = (p, ctx) => {
  const depth = Error.stackTraceLimit;
  Error.stackTraceLimit = 4;
  try {
    return capture(p, ctx);
  } finally {
    Error.stackTraceLimit = depth;
  }
};
