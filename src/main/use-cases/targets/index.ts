// Deployment targets: the one entry point for the rotation flow, the CLI and the window.
export { pushToTarget, verifyTarget } from './push-target';
export { type TargetConnection, type TargetDeps, type TargetStore } from './target-ports';
export { TargetFailure, isTargetFailure } from './target-failure';
export { maskProblem, type MaskProblem } from './gitlab-variable-target';
export { removeStaleTemps } from './atomic-file';
export { deployTarget, deployTargets } from './deploy-targets';
export { vaultTargetDeps } from './target-connection';
export { TargetService, type TargetServiceOptions } from './target-service';
