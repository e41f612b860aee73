export * from "./ast";
export {
  compareAttrNames,
  isNixIdentifier,
  nixAttrName,
  nixStringProblem,
  printFile,
  printNix,
} from "./printer";
