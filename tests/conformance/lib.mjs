// Shared helpers for the conformance scripts. Everything here follows the Zarr v3 specification
// directly (sha256 of decoded little-endian bytes, CRC-32C, gzip), independent of ZarrAudio.
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import FileSystemStore from "@zarrita/storage/fs";
import ZipFileStore from "@zarrita/storage/zip";
import FetchStore from "@zarrita/storage/fetch";

export function sha256Of(typed) {
  const bytes = new Uint8Array(typed.buffer, typed.byteOffset, typed.byteLength);
  return createHash("sha256").update(bytes).digest("hex");
}

// CRC-32C (Castagnoli), reflected polynomial 0x82F63B78, written from the spec.
const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

export function crc32c(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

export function appendCrc32c(bytes) {
  const out = new Uint8Array(bytes.length + 4);
  out.set(bytes);
  new DataView(out.buffer).setUint32(bytes.length, crc32c(bytes), true);
  return out;
}

export async function openStore(location) {
  if (/^https?:\/\//.test(location)) return new FetchStore(location);
  if (location.endsWith(".zip")) {
    const buf = await readFile(location);
    return ZipFileStore.fromBlob(new Blob([buf]));
  }
  return new FileSystemStore(location);
}

// Deterministic test data per data type; 64-bit values exceed 2^53 so precision loss would show.
export function makeData(dtype, n, seed = 1) {
  const ctor = {
    bool: Uint8Array, int8: Int8Array, int16: Int16Array, int32: Int32Array, int64: BigInt64Array,
    uint8: Uint8Array, uint16: Uint16Array, uint32: Uint32Array, uint64: BigUint64Array,
    float32: Float32Array, float64: Float64Array,
  }[dtype];
  const a = new ctor(n);
  for (let i = 0; i < n; i++) {
    const v = (i * 2654435761 + seed * 40503) >>> 0;
    if (dtype === "bool") a[i] = v % 3 === 0 ? 1 : 0;
    else if (dtype === "int64") a[i] = BigInt.asIntN(64, (BigInt(v) << 33n) - BigInt(i) * 9007199254740993n);
    else if (dtype === "uint64") a[i] = BigInt.asUintN(64, (BigInt(v) << 31n) + 9007199254740993n);
    else if (dtype.startsWith("float")) a[i] = (v % 100000) / 7 - 5000 + (i % 7 === 0 ? 0.1 : 0);
    else a[i] = v; // typed arrays wrap to their width
  }
  return a;
}
