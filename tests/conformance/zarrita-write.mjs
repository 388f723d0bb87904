// Writes a Zarr v3 store with zarrita (the independent implementation) and prints a manifest of what it
// wrote: per array its data type, shape and the sha256 of the source data, for ZarrAudio to read back.
// Usage: node zarrita-write.mjs DIR
import * as zarr from "zarrita";
import FileSystemStore from "@zarrita/storage/fs";
import { makeData, sha256Of } from "./lib.mjs";

const dir = process.argv[2];
const root = zarr.root(new FileSystemStore(dir));
await zarr.create(root, { attributes: { title: "written by zarrita", nested: { list: [1, "two", true] } } });
const manifest = {};
const little = { name: "bytes", configuration: { endian: "little" } };
const big = { name: "bytes", configuration: { endian: "big" } };
const zstd = { name: "zstd", configuration: { level: 3, checksum: false } };
const cases = [];
for (const dtype of ["bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64", "float32", "float64"]) {
  const fill = dtype === "bool" ? false : dtype.startsWith("float") ? 0 : 0;
  cases.push({ name: `${dtype}-le`, dtype, shape: [37, 5], chunks: [8, 4], codecs: [little], fill });
  if (dtype !== "bool") {
    const size = { int8: 1, uint8: 1, int16: 2, uint16: 2, int32: 4, uint32: 4, float32: 4 }[dtype] ?? 8;
    cases.push({ name: `${dtype}-blosc`, dtype, shape: [300, 3], chunks: [128, 3], fill,
      codecs: [little, { name: "blosc", configuration: { cname: "zstd", clevel: 5, shuffle: "shuffle", typesize: size, blocksize: 0 } }] });
  }
  if (dtype !== "bool" && dtype !== "int8" && dtype !== "uint8")
    cases.push({ name: `${dtype}-be-zstd`, dtype, shape: [50], chunks: [16], codecs: [big, zstd], fill, sep: "." });
}
cases.push({ name: "transpose", dtype: "int32", shape: [6, 7, 5], chunks: [4, 3, 5], codecs: [{ name: "transpose", configuration: { order: [2, 0, 1] } }, little], fill: 7 });
cases.push({ name: "nan-fill", dtype: "float64", shape: [10], chunks: [4], codecs: [little], fill: "NaN", partial: true });
cases.push({ name: "missing-chunks", dtype: "int16", shape: [40], chunks: [10], codecs: [little, zstd], fill: -3, partial: true });

const group = await zarr.create(root.resolve("sub"), { attributes: { kind: "child group" } });
for (const c of cases) {
  const arr = await zarr.create(group.resolve(c.name), {
    shape: c.shape, chunkShape: c.chunks, dtype: c.dtype, codecs: c.codecs, fillValue: c.fill,
    chunkSeparator: c.sep, dimensionNames: c.shape.map((_, i) => `d${i}`), attributes: { case: c.name },
  });
  const n = c.shape.reduce((a, b) => a * b, 1);
  let data = makeData(c.dtype, n, c.name.length);
  if (c.partial) {
    // Write only the first chunk; the rest must read back as the fill value.
    const fill = c.fill === "NaN" ? NaN : c.fill;
    for (let i = c.chunks[0]; i < n; i++) data[i] = fill;
    const first = data.slice(0, c.chunks[0]);
    await zarr.set(arr, [zarr.slice(0, c.chunks[0])], { data: first, shape: [c.chunks[0]], stride: [1] });
  } else {
    const stride = c.shape.map((_, i) => c.shape.slice(i + 1).reduce((a, b) => a * b, 1));
    const value = c.dtype === "bool" ? new zarr.BoolArray(data.buffer) : data;
    await zarr.set(arr, null, { data: value, shape: c.shape, stride });
  }
  manifest[`sub/${c.name}`] = { dtype: c.dtype, shape: c.shape, sha256: sha256Of(data) };
}
process.stdout.write(JSON.stringify(manifest));
