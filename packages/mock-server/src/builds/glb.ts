/**
 * A minimal glTF 2.0 binary, written by hand: one node with one mesh (a quad with normals) and one animation that
 * turns the node a full circle in two seconds. Without `mesh`, the node and its animation only: an animation
 * asset's file, which engine 1.x parses without a graphics device (a mesh there would fail to load).
 */
export function animatedGlb(nodeName: string, mesh = true): Buffer {
  const positions = [-0.5, -0.5, 0, 0.5, -0.5, 0, 0.5, 0.5, 0, -0.5, 0.5, 0];
  const normals = [0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 1];
  const indices = [0, 1, 2, 0, 2, 3];
  const times = [0, 1, 2];
  const rotations = [0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0, -1];
  const views: Buffer[] = [
    Buffer.from(new Float32Array(positions).buffer),
    Buffer.from(new Float32Array(normals).buffer),
    Buffer.from(new Uint16Array([...indices, 0, 0]).buffer), // padded to 16 bytes: the floats after it stay aligned
    Buffer.from(new Float32Array(times).buffer),
    Buffer.from(new Float32Array(rotations).buffer),
  ];
  let offset = 0;
  const bufferViews = views.map((view) => {
    const entry = { buffer: 0, byteOffset: offset, byteLength: view.length };
    offset += view.length;
    return entry;
  });
  const json = {
    asset: { version: '2.0', generator: 'playcanvas-mock-server' },
    scene: 0,
    scenes: [{ nodes: [0] }],
    nodes: [{ name: nodeName, mesh: 0 }],
    meshes: [{ name: nodeName, primitives: [{ attributes: { POSITION: 0, NORMAL: 1 }, indices: 2 }] }],
    accessors: [
      { bufferView: 0, componentType: 5126, count: 4, type: 'VEC3', min: [-0.5, -0.5, 0], max: [0.5, 0.5, 0] },
      { bufferView: 1, componentType: 5126, count: 4, type: 'VEC3' },
      { bufferView: 2, componentType: 5123, count: 6, type: 'SCALAR' },
      { bufferView: 3, componentType: 5126, count: 3, type: 'SCALAR', min: [0], max: [2] },
      { bufferView: 4, componentType: 5126, count: 3, type: 'VEC4' },
    ],
    bufferViews: bufferViews.map((v, i) => (i === 2 ? { ...v, byteLength: 12, target: 34963 } : v)),
    buffers: [{ byteLength: offset }],
    animations: [
      {
        name: 'Spin',
        channels: [{ sampler: 0, target: { node: 0, path: 'rotation' } }],
        samplers: [{ input: 3, output: 4, interpolation: 'LINEAR' }],
      },
    ],
  };
  if (mesh) return glb(json, Buffer.concat(views));
  // the animation's accessors and views alone, renumbered
  const animationOnly = {
    ...json,
    nodes: [{ name: nodeName }],
    meshes: undefined,
    accessors: json.accessors.slice(3).map((a, i) => ({ ...a, bufferView: i })),
    bufferViews: bufferViews
      .slice(3)
      .map((v) => ({ ...v, byteOffset: v.byteOffset - (bufferViews[3]?.byteOffset ?? 0) })),
    buffers: [{ byteLength: offset - (bufferViews[3]?.byteOffset ?? 0) }],
    animations: [{ ...json.animations[0], samplers: [{ input: 0, output: 1, interpolation: 'LINEAR' }] }],
  };
  return glb(animationOnly, Buffer.concat(views.slice(3)));
}

function glb(json: unknown, bin: Buffer): Buffer {
  const pad = (bytes: Buffer, fill: number) => Buffer.concat([bytes, Buffer.alloc((4 - (bytes.length % 4)) % 4, fill)]);
  const jsonChunk = pad(Buffer.from(JSON.stringify(json)), 0x20);
  const binChunk = pad(bin, 0);
  const chunkHeader = (length: number, type: number) => {
    const header = Buffer.alloc(8);
    header.writeUInt32LE(length, 0);
    header.writeUInt32LE(type, 4);
    return header;
  };
  const header = Buffer.alloc(12);
  header.writeUInt32LE(0x46546c67, 0); // 'glTF'
  header.writeUInt32LE(2, 4);
  header.writeUInt32LE(12 + 8 + jsonChunk.length + 8 + binChunk.length, 8);
  return Buffer.concat([
    header,
    chunkHeader(jsonChunk.length, 0x4e4f534a),
    jsonChunk,
    chunkHeader(binChunk.length, 0x004e4942),
    binChunk,
  ]);
}
