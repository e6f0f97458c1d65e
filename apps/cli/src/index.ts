export { backendsCommand, formatBackends, matmulMs } from './commands/backends';
export { CliError, oneLine } from './errors';
export { buildProgram, type Io, run } from './program';
export { formatTable } from './table';
