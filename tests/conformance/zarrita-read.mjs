// Reads nodes of a Zarr v3 store with zarrita (the independent implementation) and prints, as JSON,
// the sha256 of every array's decoded bytes and every group's attributes.
// Usage: node zarrita-read.mjs STORE(dir|.zip) a:ARRAY_PATH g:GROUP_PATH ...
import * as zarr from "zarrita";
import { openStore, sha256Of } from "./lib.mjs";

// zarr.get returns a strided view (transpose makes it non-C-order); lay it out in C order before hashing.
function toCOrder({ data, shape, stride }) {
  // BoolArray has no numeric indexing: work on its bytes.
  if (!ArrayBuffer.isView(data)) data = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const n = shape.reduce((a, b) => a * b, 1);
  const out = new data.constructor(n);
  const index = new Array(shape.length).fill(0);
  for (let i = 0; i < n; i++) {
    let at = 0;
    for (let d = 0; d < shape.length; d++) at += index[d] * stride[d];
    out[i] = data[at];
    for (let d = shape.length - 1; d >= 0 && ++index[d] === shape[d]; d--) index[d] = 0;
  }
  return out;
}

const [location, ...nodes] = process.argv.slice(2);
const root = zarr.root(await openStore(location));
const result = { arrays: {}, groups: {} };
for (const spec of nodes) {
  const [kind, path] = [spec.slice(0, 1), spec.slice(2)];
  const loc = path === "" ? root : root.resolve(path);
  if (kind === "g") {
    const group = await zarr.open(loc, { kind: "group" });
    result.groups[path] = group.attrs;
  } else {
    const array = await zarr.open(loc, { kind: "array" });
    const chunk = await zarr.get(array);
    result.arrays[path] = { dtype: array.dtype, shape: array.shape, sha256: sha256Of(toCOrder(chunk)), attributes: array.attrs };
  }
}
process.stdout.write(JSON.stringify(result, (_, v) => (typeof v === "bigint" ? v.toString() : v)));
