import { describe, expect, it } from 'vitest';
import { craft, setHeaderLength } from './craft.test-util';
import { decodeTensor } from './decode';
import { encodeSafetensors } from './encode';
import { SafetensorsError } from './errors';
import { parseSafetensors } from './parse';

const f32 = (name: string, shape: number[], begin: number) => ({
  [name]: {
    dtype: 'F32',
    shape,
    data_offsets: [begin, begin + 4 * shape.reduce((a, b) => a * b, 1)],
  },
});

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(SafetensorsError);
    return (e as SafetensorsError).code;
  }
  throw new Error('expected a SafetensorsError, nothing was thrown');
}

describe('parseSafetensors', () => {
  it('round-trips what encodeSafetensors writes, with 8-byte aligned data', () => {
    const file = encodeSafetensors(
      new Map([
        [
          'b',
          { dtype: 'float32', shape: [2, 2], values: new Float32Array([1, -2, 3.5, Number.NaN]) },
        ],
        ['a', { dtype: 'int32', shape: [3], values: new Int32Array([7, -8, 2 ** 31 - 1]) }],
        ['c', { dtype: 'bool', shape: [], values: new Uint8Array([1]) }],
        ['e', { dtype: 'float32', shape: [0, 3], values: new Float32Array(0) }],
      ] as const),
      { note: 'hi' },
    );
    const headerLength = Number(new DataView(file.buffer).getBigUint64(0, true));
    expect((8 + headerLength) % 8).toBe(0);
    const parsed = parseSafetensors(file);
    expect(parsed.metadata).toEqual({ note: 'hi' });
    expect([...parsed.tensors.keys()].sort()).toEqual(['a', 'b', 'c', 'e']);
    const b = decodeTensor('b', parsed.tensors.get('b')!);
    expect(b.shape).toEqual([2, 2]);
    expect([...b.values.slice(0, 3)]).toEqual([1, -2, 3.5]);
    expect(Number.isNaN(b.values[3])).toBe(true);
    expect([...decodeTensor('a', parsed.tensors.get('a')!).values]).toEqual([7, -8, 2 ** 31 - 1]);
    expect(decodeTensor('c', parsed.tensors.get('c')!)).toMatchObject({ dtype: 'bool', shape: [] });
    expect(decodeTensor('e', parsed.tensors.get('e')!).values.length).toBe(0);
  });

  it('decodes F16, BF16, F64, I64, I8, U8 (hand-computed bit patterns)', () => {
    const data = new Uint8Array(2 * 3 + 2 * 2 + 8 + 8 * 2 + 2 + 1);
    const v = new DataView(data.buffer);
    for (const [i, h] of [0x3c00, 0xc000, 0x3800].entries()) v.setUint16(2 * i, h, true); // 1, -2, 0.5
    for (const [i, h] of [0x3f80, 0xc040].entries()) v.setUint16(6 + 2 * i, h, true); // 1, -3
    v.setFloat64(10, Math.PI, true);
    v.setBigInt64(18, -5n, true);
    v.setBigInt64(26, 123456789n, true);
    v.setInt8(34, -1);
    v.setInt8(35, -128);
    v.setUint8(36, 255);
    const file = craft(
      {
        h: { dtype: 'F16', shape: [3], data_offsets: [0, 6] },
        bf: { dtype: 'BF16', shape: [2], data_offsets: [6, 10] },
        d: { dtype: 'F64', shape: [], data_offsets: [10, 18] },
        l: { dtype: 'I64', shape: [2], data_offsets: [18, 34] },
        i8: { dtype: 'I8', shape: [2], data_offsets: [34, 36] },
        u8: { dtype: 'U8', shape: [1], data_offsets: [36, 37] },
      },
      data,
    );
    const p = parseSafetensors(file);
    const get = (n: string) => [...decodeTensor(n, p.tensors.get(n)!).values];
    expect(get('h')).toEqual([1, -2, 0.5]);
    expect(get('bf')).toEqual([1, -3]);
    expect(get('d')[0]).toBeCloseTo(Math.PI, 6);
    expect(get('l')).toEqual([-5, 123456789]);
    expect(get('i8')).toEqual([-1, -128]);
    expect(get('u8')).toEqual([255]);
  });

  describe('hostile files → typed errors', () => {
    const good = craft(f32('w', [2], 0), 8);
    it('file shorter than the length prefix', () => {
      expect(code(() => parseSafetensors(good.subarray(0, 5)))).toBe('TRUNCATED');
    });
    it('truncated data buffer', () => {
      expect(code(() => parseSafetensors(good.subarray(0, good.length - 3)))).toBe(
        'OFFSETS_OUT_OF_RANGE',
      );
    });
    it('header length larger than the file', () => {
      expect(code(() => parseSafetensors(setHeaderLength(good, 1000n)))).toBe(
        'HEADER_LENGTH_EXCEEDS_FILE',
      );
    });
    it('header length of 100 MB (and of 2^64 - 1) is refused before anything is read', () => {
      expect(code(() => parseSafetensors(setHeaderLength(good, 100_000_000n)))).toBe(
        'HEADER_TOO_LARGE',
      );
      expect(code(() => parseSafetensors(setHeaderLength(good, 2n ** 64n - 1n)))).toBe(
        'HEADER_TOO_LARGE',
      );
    });
    it('a real 20 MB header is over the default 16 MiB limit but passes a raised one', () => {
      const big = craft({ __metadata__: { pad: 'x'.repeat(20_000_000) } });
      expect(code(() => parseSafetensors(big))).toBe('HEADER_TOO_LARGE');
      expect(parseSafetensors(big, { maxHeaderBytes: 32_000_000 }).tensors.size).toBe(0);
    });
    it('not JSON, not an object, not UTF-8', () => {
      expect(code(() => parseSafetensors(craft(null, 0, '{"w": ')))).toBe('HEADER_NOT_JSON');
      expect(code(() => parseSafetensors(craft(null, 0, '[1, 2]')))).toBe('HEADER_NOT_OBJECT');
      const bad = craft(null, 0, '{"a":1}');
      bad[10] = 0xff;
      expect(code(() => parseSafetensors(bad))).toBe('HEADER_NOT_JSON');
    });
    it('unsupported dtypes, pickles included', () => {
      for (const dtype of ['F8_E4M3', 'PICKLE', 'f32', 42, undefined]) {
        const e = (() => {
          try {
            parseSafetensors(craft({ w: { dtype, shape: [1], data_offsets: [0, 4] } }, 4));
          } catch (err) {
            return err as SafetensorsError;
          }
        })();
        expect(e?.code).toBe('UNSUPPORTED_DTYPE');
        expect(e?.message).toMatch(/Tensor 'w'.*use one of F64, F32/);
      }
    });
    it('shape that does not match the span, and malformed shapes', () => {
      expect(
        code(() =>
          parseSafetensors(craft({ w: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } }, 8)),
        ),
      ).toBe('SIZE_MISMATCH');
      expect(
        code(() =>
          parseSafetensors(craft({ w: { dtype: 'F32', shape: [-1], data_offsets: [0, 4] } }, 4)),
        ),
      ).toBe('BAD_SHAPE');
      expect(
        code(() =>
          parseSafetensors(craft({ w: { dtype: 'F32', shape: [1.5], data_offsets: [0, 4] } }, 4)),
        ),
      ).toBe('BAD_SHAPE');
      // 2^40 * 2^40 elements must not wrap around to a small number
      expect(
        code(() =>
          parseSafetensors(
            craft({ w: { dtype: 'U8', shape: [2 ** 40, 2 ** 40], data_offsets: [0, 0] } }),
          ),
        ),
      ).toBe('SIZE_MISMATCH');
    });
    it('offsets past the end, reversed or malformed', () => {
      expect(code(() => parseSafetensors(craft(f32('w', [4], 0), 8)))).toBe('OFFSETS_OUT_OF_RANGE');
      expect(
        code(() =>
          parseSafetensors(craft({ w: { dtype: 'U8', shape: [0], data_offsets: [4, 2] } }, 4)),
        ),
      ).toBe('OFFSETS_OUT_OF_RANGE');
      expect(
        code(() =>
          parseSafetensors(craft({ w: { dtype: 'U8', shape: [1], data_offsets: [0] } }, 1)),
        ),
      ).toBe('BAD_ENTRY');
      expect(code(() => parseSafetensors(craft({ w: 'hello' }, 1)))).toBe('BAD_ENTRY');
    });
    it('overlapping offsets', () => {
      expect(
        code(() => parseSafetensors(craft({ ...f32('a', [2], 0), ...f32('b', [2], 4) }, 12))),
      ).toBe('OVERLAP');
      expect(
        code(() => parseSafetensors(craft({ ...f32('a', [2], 0), ...f32('b', [2], 0) }, 8))),
      ).toBe('OVERLAP');
    });
    it('holes and trailing bytes (strict by default, allowed with strict: false)', () => {
      const hole = craft({ ...f32('a', [1], 0), ...f32('b', [1], 8) }, 12);
      expect(code(() => parseSafetensors(hole))).toBe('GAP');
      expect(parseSafetensors(hole, { strict: false }).tensors.size).toBe(2);
      const trailing = craft(f32('a', [1], 0), 9);
      expect(code(() => parseSafetensors(trailing))).toBe('GAP');
    });
    it('__metadata__ that is not string → string', () => {
      expect(code(() => parseSafetensors(craft({ __metadata__: { a: 1 } })))).toBe('BAD_METADATA');
      expect(code(() => parseSafetensors(craft({ __metadata__: [] })))).toBe('BAD_METADATA');
    });
    it('an I64 value outside int32 is rejected, not wrapped', () => {
      const data = new Uint8Array(8);
      new DataView(data.buffer).setBigInt64(0, 2n ** 40n, true);
      const p = parseSafetensors(
        craft({ n: { dtype: 'I64', shape: [1], data_offsets: [0, 8] } }, data),
      );
      expect(code(() => decodeTensor('n', p.tensors.get('n')!))).toBe('VALUE_OUT_OF_RANGE');
    });
    it('a __proto__ key is just a tensor name, never a prototype', () => {
      const p = parseSafetensors(
        craft(null, 4, '{"__proto__": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}}'),
      );
      expect([...p.tensors.keys()]).toEqual(['__proto__']);
      expect(({} as Record<string, unknown>).dtype).toBeUndefined();
    });
    it('survives random byte flips with either a parse or a SafetensorsError', () => {
      let seed = 7;
      const rand = () => {
        seed = (seed * 1103515245 + 12345) % 2 ** 31;
        return seed / 2 ** 31;
      };
      const base = craft({ ...f32('a', [2], 0), ...f32('b', [3], 8) }, 20);
      for (let i = 0; i < 500; i++) {
        const f = base.slice();
        for (let k = 0; k < 3; k++) f[Math.floor(rand() * f.length)] = Math.floor(rand() * 256);
        try {
          const p = parseSafetensors(f);
          for (const [n, raw] of p.tensors) decodeTensor(n, raw);
        } catch (e) {
          expect(e).toBeInstanceOf(SafetensorsError);
        }
      }
    });
  });
});
