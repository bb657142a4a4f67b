import { endianness } from 'node:os';
import { Readable } from 'node:stream';
import type { SyntheticBuild } from '../fixtures.js';
import type { BuildEntry } from './spec.js';

const CHUNK = 64 * 1024;
const TEXT =
  'pc.script.createLoadingScreen(function (app) { // generated filler for benchmark builds\n' +
  '  var entity = new pc.Entity("filler"); entity.addComponent("render", { type: "box" }); ' +
  'app.root.addChild(entity);\n';

const LITTLE_ENDIAN = endianness() === 'LE';

/** xorshift32: a tiny seeded generator, so random content is the same bytes on every run (little-endian words). */
function randomChunk(state: { x: number }, size: number): Buffer {
  const out = Buffer.allocUnsafe(size);
  let x = state.x;
  if (LITTLE_ENDIAN && out.byteOffset % 4 === 0) {
    // one typed-array store a word: several times faster than writeUInt32LE, the same bytes
    const words = new Uint32Array(out.buffer, out.byteOffset, size >>> 2);
    for (let i = 0; i < words.length; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      words[i] = x >>> 0;
    }
  } else {
    for (let i = 0; i < size; i += 4) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      out.writeUInt32LE(x >>> 0, i);
    }
  }
  state.x = x;
  return out;
}

function generated(size: number, seed: number, random: boolean): () => Readable {
  return () => {
    let left = size;
    const state = { x: seed || 1 };
    const text = Buffer.from(TEXT.repeat(Math.ceil(CHUNK / TEXT.length)));
    return new Readable({
      highWaterMark: CHUNK,
      read() {
        if (left <= 0) {
          this.push(null);
          return;
        }
        const n = Math.min(CHUNK, left);
        left -= n;
        this.push(random ? randomChunk(state, CHUNK).subarray(0, n) : text.subarray(0, n));
      },
    });
  };
}

/** The generated files of a large build: a share random (incompressible), the rest repetitive text. */
export function syntheticEntries(synthetic: SyntheticBuild): BuildEntry[] {
  const { files, totalBytes } = synthetic;
  const ratio = synthetic.incompressibleRatio ?? 0.5;
  const perFile = Math.floor(totalBytes / files);
  const remainder = totalBytes - perFile * files;
  const randomFiles = Math.round(files * ratio);
  const entries: BuildEntry[] = [];
  for (let i = 0; i < files; i++) {
    const size = perFile + (i === files - 1 ? remainder : 0);
    const random = i < randomFiles;
    const dir = String(Math.floor(i / 100)).padStart(3, '0');
    const file = `${random ? 'blob' : 'text'}-${String(i).padStart(5, '0')}.${random ? 'bin' : 'js'}`;
    const name = `files/synthetic/${dir}/${file}`;
    entries.push({ name, content: generated(size, 0x9e3779b9 ^ (i + 1), random), incompressible: random });
  }
  return entries;
}
