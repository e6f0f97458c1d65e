// `seqzoo quantize MODEL --out DIR [--dtype int8|float16]`: @seqzoo/registry's quantizeModel
// from the command line. The result loads like any saved model (dequantized to float32).
import { type QuantizeDtype, type QuantizeReport, quantizeModel } from '@seqzoo/registry';
import { type Command, InvalidArgumentError } from 'commander';
import type { Io } from '../program';

const DTYPES: readonly QuantizeDtype[] = ['int8', 'float16'];

function dtypeOf(value: string): QuantizeDtype {
  if (!DTYPES.includes(value as QuantizeDtype)) {
    throw new InvalidArgumentError(`give int8 or float16 (got '${value}').`);
  }
  return value as QuantizeDtype;
}

/** The report as a few lines: sizes, the worst errors, how each kind of tensor is stored. */
export function formatQuantizeReport(report: QuantizeReport, out: string): string {
  const kinds = new Map<string, number>(
    ['int8', 'float16', 'float32', 'int32', 'bool'].map((k) => [k, 0]),
  );
  for (const t of report.tensors) kinds.set(t.stored, (kinds.get(t.stored) ?? 0) + 1);
  const ratio = report.bytesBefore / report.bytesAfter;
  return [
    `wrote ${out} (${report.dtype}): weights ${report.bytesBefore.toLocaleString('en-US')} → ${report.bytesAfter.toLocaleString('en-US')} bytes (${ratio.toFixed(1)}× smaller)`,
    `tensors: ${[...kinds]
      .filter(([, n]) => n > 0)
      .map(([k, n]) => `${n} ${k}`)
      .join(', ')}`,
    `largest error against float32: ${report.maxAbsError.toExponential(2)} absolute, ${(100 * report.maxRelError).toFixed(3)} % of a tensor's largest value`,
  ].join('\n');
}

/** Registers `seqzoo quantize`. */
export function registerQuantize(program: Command, io: Io): void {
  program
    .command('quantize')
    .description(
      'quantize a saved model: int8 with per-channel scales (~4× smaller) or float16 (2×); it loads like any model',
    )
    .argument('<model>', 'the saved model: a folder or URL holding model.json')
    .requiredOption('--out <folder>', 'where to write the quantized model (may be <model>)')
    .option('--dtype <dtype>', 'int8 or float16', dtypeOf, 'int8' as QuantizeDtype)
    .option('--json', 'print the report (per tensor: storage, max errors) as JSON')
    .action(async (model: string, opts: { out: string; dtype: QuantizeDtype; json?: boolean }) => {
      const report = await quantizeModel(model, opts.out, { dtype: opts.dtype });
      io.out(opts.json ? JSON.stringify(report, null, 2) : formatQuantizeReport(report, opts.out));
    });
}
