export { backendsCommand, formatBackends, matmulMs } from './commands/backends';
export { cliRegistry, formatDescription, formatModels } from './commands/models';
export { CliError, oneLine } from './errors';
export { buildProgram, type Io, run } from './program';
export { formatTable } from './table';
