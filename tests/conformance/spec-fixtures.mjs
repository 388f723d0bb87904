// Builds, byte by byte from the Zarr v3 specification, arrays that zarrita cannot write: gzip, crc32c
// and sharding_indexed (index at the end and at the start, inner chunks out of order with gaps, an empty
// inner chunk). This script is the independent side for those features. Prints a manifest like
// zarrita-write.mjs. Usage: node spec-fixtures.mjs DIR
import { mkdir, writeFile } from "node:fs/promises";
import { gzipSync } from "node:zlib";
import { join } from "node:path";
import { appendCrc32c, makeData, sha256Of } from "./lib.mjs";

const dir = process.argv[2];
const manifest = {};
const LE = { name: "bytes", configuration: { endian: "little" } };

async function put(key, bytes) {
  const path = join(dir, ...key.split("/"));
  await mkdir(join(path, ".."), { recursive: true });
  await writeFile(path, bytes);
}
const json = (o) => new TextEncoder().encode(JSON.stringify(o));
const bytesOf = (t) => new Uint8Array(t.buffer, t.byteOffset, t.byteLength);

function arrayMeta(shape, chunkShape, dtype, codecs, fill) {
  return {
    zarr_format: 3, node_type: "array", shape, data_type: dtype,
    chunk_grid: { name: "regular", configuration: { chunk_shape: chunkShape } },
    chunk_key_encoding: { name: "default", configuration: { separator: "/" } },
    fill_value: fill, codecs, attributes: {},
  };
}

// A C-order block [r0, r0+rows) x [c0, c0+cols) of a 2-D array, padded with fill to the chunk shape.
function block2d(data, shape, r0, c0, chunk, fill) {
  const out = new data.constructor(chunk[0] * chunk[1]).fill(fill);
  for (let r = 0; r < chunk[0]; r++)
    for (let c = 0; c < chunk[1]; c++)
      if (r0 + r < shape[0] && c0 + c < shape[1]) out[r * chunk[1] + c] = data[(r0 + r) * shape[1] + c0 + c];
  return out;
}

await put("zarr.json", json({ zarr_format: 3, node_type: "group", attributes: { writer: "spec-fixtures.mjs" } }));

// gzip (RFC 1952), an edge chunk stored at full chunk shape.
{
  const shape = [20], chunk = [8], fill = -1;
  const data = makeData("int32", 20, 3);
  await put("gzip/zarr.json", json(arrayMeta(shape, chunk, "int32", [LE, { name: "gzip", configuration: { level: 6 } }], fill)));
  for (let c = 0; c < 3; c++) {
    const part = new Int32Array(8).fill(fill);
    part.set(data.slice(c * 8, c * 8 + 8));
    await put(`gzip/c/${c}`, gzipSync(bytesOf(part)));
  }
  manifest.gzip = { dtype: "int32", shape, sha256: sha256Of(data) };
}

// crc32c appended little-endian, 2-D chunks.
{
  const shape = [10, 10], chunk = [5, 5];
  const data = makeData("uint16", 100, 4);
  await put("crc/zarr.json", json(arrayMeta(shape, chunk, "uint16", [LE, { name: "crc32c" }], 0)));
  for (let i = 0; i < 2; i++)
    for (let j = 0; j < 2; j++)
      await put(`crc/c/${i}/${j}`, appendCrc32c(bytesOf(block2d(data, shape, i * 5, j * 5, chunk, 0))));
  manifest.crc = { dtype: "uint16", shape, sha256: sha256Of(data) };
}

// Sharding: shards [32, 3] of inner chunks [8, 3]; the last shard is an edge shard.
for (const location of ["end", "start"]) {
  const name = `shard-${location}`;
  const shape = [70, 3], shard = [32, 3], inner = [8, 3], fill = 5;
  const data = makeData("int16", 70 * 3, location.length);
  // Inner chunk 1 of shard 0 holds only the fill value: it must be stored as empty.
  for (let i = 8 * 3; i < 16 * 3; i++) data[i] = fill;
  const innerCodecs = [LE, { name: "gzip", configuration: { level: 1 } }];
  const indexCodecs = [LE, { name: "crc32c" }];
  await put(`${name}/zarr.json`, json(arrayMeta(shape, shard, "int16", [{
    name: "sharding_indexed",
    configuration: { chunk_shape: inner, codecs: innerCodecs, index_codecs: indexCodecs, index_location: location },
  }], fill)));
  for (let s = 0; s < 3; s++) {
    const n = 4, indexSize = 16 * n + 4;
    const index = new BigUint64Array(2 * n).fill(0xffffffffffffffffn);
    const parts = [];
    let offset = location === "start" ? indexSize : 0;
    // Write inner chunks in reverse order, each after a 3-byte gap: readers must follow the index.
    for (let k = n - 1; k >= 0; k--) {
      const rowStart = s * 32 + k * 8;
      if (rowStart >= shape[0]) continue;
      const blk = block2d(data, shape, rowStart, 0, inner, fill);
      if (blk.every((v) => v === fill)) continue;
      const encoded = gzipSync(bytesOf(blk));
      parts.push(new Uint8Array(3), encoded);
      offset += 3;
      index[2 * k] = BigInt(offset);
      index[2 * k + 1] = BigInt(encoded.length);
      offset += encoded.length;
    }
    const indexBytes = appendCrc32c(bytesOf(index));
    const all = location === "start" ? [indexBytes, ...parts] : [...parts, indexBytes];
    await put(`${name}/c/${s}/0`, Buffer.concat(all.map((p) => Buffer.from(p))));
  }
  manifest[name] = { dtype: "int16", shape, sha256: sha256Of(data) };
}

// A byte stream in shards of uncompressed inner chunks (how ZarrAudio stores FLAC bytes).
{
  const shape = [1000], shard = [256], inner = [64];
  const data = makeData("uint8", 1000, 9);
  await put("bytestream/zarr.json", json(arrayMeta(shape, shard, "uint8", [{
    name: "sharding_indexed",
    configuration: { chunk_shape: inner, codecs: [{ name: "bytes" }], index_codecs: [LE, { name: "crc32c" }], index_location: "end" },
  }], 0)));
  for (let s = 0; s < 4; s++) {
    const index = new BigUint64Array(8);
    const parts = [];
    let offset = 0;
    for (let k = 0; k < 4; k++) {
      const part = new Uint8Array(64);
      part.set(data.slice(s * 256 + k * 64, Math.min(1000, s * 256 + k * 64 + 64)));
      index[2 * k] = BigInt(offset);
      index[2 * k + 1] = 64n;
      offset += 64;
      parts.push(part);
    }
    parts.push(appendCrc32c(bytesOf(index)));
    await put(`bytestream/c/${s}`, Buffer.concat(parts.map((p) => Buffer.from(p))));
  }
  manifest.bytestream = { dtype: "uint8", shape, sha256: sha256Of(data) };
}
process.stdout.write(JSON.stringify(manifest));
