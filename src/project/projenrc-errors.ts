/**
 * Preloaded by a generated repository's `npx projen` (`ts-node --require`, see DdbStreamApp): when `.projenrc.ts`
 * does not compile (a misspelt option name in an object literal, which TypeScript stops before any of our checks
 * run), ts-node throws a TSError whose stack frames all point into ts-node. The diagnostics alone say what to fix,
 * with TypeScript's own "Did you mean" for a misspelt name, so they are printed alone, one line each.
 */
function onUncaught(error: unknown): void {
  const diagnostics = (error as { diagnosticText?: unknown } | null)?.diagnosticText;
  if ((error as Error | null)?.name === 'TSError' && typeof diagnostics === 'string') {
    const lines = diagnostics.trim().split('\n').map((line) => `  ${line}`);
    process.stderr.write(['.projenrc.ts does not compile; nothing was written:', ...lines].join('\n') + '\n');
    process.exitCode = 1;
    return;
  }
  // anything else is not ours to word: thrown again without this listener, Node reports it as it always does
  process.removeListener('uncaughtException', onUncaught);
  setImmediate(() => {
    throw error;
  });
}

process.on('uncaughtException', onUncaught);
