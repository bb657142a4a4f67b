import { deflateSync } from 'node:zlib';

/** Small, valid media files the engine can load, made the same way every time. */

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const b of bytes) c = (CRC_TABLE[(c ^ b) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** An RGBA PNG of `width`×`height`, each pixel from `pixel(x, y)`. */
export function png(
  width: number,
  height: number,
  pixel: (x: number, y: number) => [number, number, number, number],
): Buffer {
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) raw.set(pixel(x, y), y * (width * 4 + 1) + 1 + x * 4);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 6, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A 64×64 checkerboard in two colours: a texture that shows it was applied. */
export function checker(a: [number, number, number], b: [number, number, number]): Buffer {
  return png(64, 64, (x, y) => [...(((x >> 3) + (y >> 3)) & 1 ? a : b), 255]);
}

/** The splash logo. */
export const LOGO = png(264, 56, (x, y) => (((x >> 3) + (y >> 3)) & 1 ? [255, 102, 0, 255] : [255, 255, 255, 255]));

/** A tenth of a second of silence, as a 16-bit mono WAV: an audio asset the engine decodes. */
export function silence(): Buffer {
  const samples = 4410;
  const wav = Buffer.alloc(44 + samples * 2);
  wav.write('RIFF', 0, 'ascii');
  wav.writeUInt32LE(36 + samples * 2, 4);
  wav.write('WAVEfmt ', 8, 'ascii');
  wav.writeUInt32LE(16, 16);
  wav.writeUInt16LE(1, 20);
  wav.writeUInt16LE(1, 22);
  wav.writeUInt32LE(44_100, 24);
  wav.writeUInt32LE(88_200, 28);
  wav.writeUInt16LE(2, 32);
  wav.writeUInt16LE(16, 34);
  wav.write('data', 36, 'ascii');
  wav.writeUInt32LE(samples * 2, 40);
  return wav;
}

/** A WebAssembly module exporting add(i32, i32) -> i32: the smallest a glue script can instantiate and call. */
export const ADD_MODULE = Buffer.from(
  '0061736d0100000001070160027f7f017f030201000707010361646400000a09010700200020016a0b',
  'hex',
);

type Rgb = [number, number, number];

/** A square of one colour: a cubemap face, say. */
export function solid(size: number, rgb: Rgb): Buffer {
  return png(size, size, () => [...rgb, 255]);
}

/** `frames` squares of 32 px in a row, each its own colour: a texture atlas. */
export function frameStrip(frames: number): Buffer {
  const colours: Rgb[] = [
    [230, 80, 60],
    [250, 190, 40],
    [70, 170, 90],
    [60, 120, 220],
  ];
  return png(frames * 32, 32, (x, y) => {
    const inside = x % 32 > 3 && x % 32 < 28 && y > 3 && y < 28;
    return inside ? [...(colours[Math.floor(x / 32) % colours.length] as Rgb), 255] : [0, 0, 0, 0];
  });
}

/** A font atlas page of 256×256 px in cells of 32: each cell a filled square that an MSDF shader draws as a box. */
export function fontPage(): Buffer {
  return png(256, 256, (x, y) =>
    x % 32 > 5 && x % 32 < 27 && y % 32 > 3 && y % 32 < 29 ? [255, 255, 255, 255] : [0, 0, 0, 0],
  );
}

/** RGBM alpha for a multiplier of 1 (the engine decodes rgb × a × 8): a sky of ordinary brightness. */
const RGBM_ONE = 32;

/** A cubemap face as the Editor stores one for an RGBM cubemap: one colour, RGBM-encoded. */
export function rgbmFace(rgb: Rgb): Buffer {
  return png(32, 32, () => [...rgb, RGBM_ONE]);
}

/** A prefiltered sky (RGBM, as the Editor writes a cubemap's `file`): a vertical gradient from sky blue to haze. */
export function prefilteredSky(): Buffer {
  return png(64, 64, (_x, y) => [60 + y, 110 + Math.floor(y / 2), 200, RGBM_ONE]);
}

/**
 * A prefiltered cubemap as engine 1.x exports carry it (`<name>.dds`): uncompressed RGBA, 32 px faces with six mip
 * levels each (the engine makes its six prefiltered cubemaps from levels 0 to 5), each face its own colour.
 */
export function ddsCubemap(): Buffer {
  const size = 32;
  const mips = 6;
  const header = new Uint32Array(32);
  header[0] = 0x20534444; // 'DDS '
  header[1] = 124;
  header[2] = 0x1 | 0x2 | 0x4 | 0x1000 | 0x20000; // caps, height, width, pixel format, mipmap count
  header[3] = size;
  header[4] = size;
  header[7] = mips;
  header[19] = 32;
  header[20] = 0x41; // RGB with alpha, no fourCC
  header[22] = 32;
  header.set([0x000000ff, 0x0000ff00, 0x00ff0000, 0xff000000], 23);
  header[27] = 0x1008 | 0x400000; // texture, complex, mipmap
  header[28] = 0xfe00; // a cubemap with all six faces
  const faces: Rgb[] = [
    [200, 90, 80],
    [80, 200, 90],
    [120, 170, 240],
    [90, 80, 70],
    [230, 210, 120],
    [150, 110, 200],
  ];
  const data: Buffer[] = [];
  for (const rgb of faces) {
    for (let level = 0, edge = size; level < mips; level++, edge >>= 1) {
      const pixels = Buffer.alloc(edge * edge * 4);
      for (let p = 0; p < edge * edge; p++) pixels.set([...rgb, RGBM_ONE], p * 4);
      data.push(pixels);
    }
  }
  return Buffer.concat([Buffer.from(header.buffer), ...data]);
}
