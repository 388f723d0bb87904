namespace ZarrAudio.Zarr.Codecs;

/// <summary>
/// How large a compressor's output may be: a chunk decodes to its element bytes, so anything far beyond them is
/// a damaged or hostile value (a "bomb": a few KB of zstd or gzip that expand to gigabytes). Decompression stops
/// there with an error instead of allocating what the data asks for. The slack covers a checksum codec after it.
/// </summary>
internal static class DecodedSize
{
    public static long Limit(ChunkSpec spec) => spec.ByteLength + Math.Max(64 * 1024, spec.ByteLength / 8);

    public static ZarrCodecException TooLarge(string codec, long declared, ChunkSpec spec) =>
        new($"{codec} data would expand to {(declared < 0 ? "more than " + Limit(spec).ToString("N0") : declared.ToString("N0"))} bytes, where the chunk holds {spec.ByteLength:N0}: the data is damaged or hostile", spec.NodePath, spec.Key);

    /// <summary>Copies a decompressing stream up to the limit; beyond it, an error.</summary>
    public static byte[] ReadBounded(Stream decompressed, ChunkSpec spec, string codec)
    {
        var limit = Limit(spec);
        var output = new MemoryStream((int)Math.Min(spec.ByteLength + 64, int.MaxValue));
        var buffer = new byte[81920];
        int n;
        while ((n = decompressed.Read(buffer, 0, buffer.Length)) > 0)
        {
            if (output.Length + n > limit) throw TooLarge(codec, -1, spec);
            output.Write(buffer, 0, n);
        }
        return output.ToArray();
    }
}
