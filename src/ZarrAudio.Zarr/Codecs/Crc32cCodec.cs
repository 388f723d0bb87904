using System.Buffers.Binary;
using System.Numerics;
using System.Text.Json.Nodes;

namespace ZarrAudio.Zarr.Codecs;

/// <summary>The <c>crc32c</c> codec: appends the CRC-32C (Castagnoli) of the bytes, little-endian.</summary>
public sealed class Crc32cCodec : IBytesToBytesCodec
{
    public string Name => "crc32c";
    public JsonObject? Configuration => null;

    public byte[] Encode(ReadOnlySpan<byte> bytes, ChunkSpec spec)
    {
        var output = new byte[bytes.Length + 4];
        bytes.CopyTo(output);
        BinaryPrimitives.WriteUInt32LittleEndian(output.AsSpan(bytes.Length), Compute(bytes));
        return output;
    }

    public byte[] Decode(ReadOnlySpan<byte> bytes, ChunkSpec spec) => Check(bytes, spec).ToArray();

    /// <summary>Checks the checksum and returns the payload as a slice of the same bytes (no copy).</summary>
    public static ReadOnlySpan<byte> Check(ReadOnlySpan<byte> bytes, ChunkSpec spec)
    {
        if (bytes.Length < 4) throw new ZarrChunkSizeException("Value is too short to hold a crc32c checksum", spec.NodePath, spec.Key);
        var payload = bytes[..^4];
        var stored = BinaryPrimitives.ReadUInt32LittleEndian(bytes[^4..]);
        var actual = Compute(payload);
        if (stored != actual)
            throw new ZarrChecksumException($"crc32c mismatch: stored 0x{stored:X8}, computed 0x{actual:X8}", spec.NodePath, spec.Key);
        return payload;
    }

    public long? EncodedSize(long inputSize) => inputSize + 4;

    /// <summary>CRC-32C through BitOperations, which uses the CPU's CRC32 instruction where there is one.</summary>
    public static uint Compute(ReadOnlySpan<byte> bytes)
    {
        var crc = 0xFFFFFFFFu;
        var i = 0;
        for (; i + 8 <= bytes.Length; i += 8) crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(bytes[i..]));
        for (; i < bytes.Length; i++) crc = BitOperations.Crc32C(crc, bytes[i]);
        return crc ^ 0xFFFFFFFFu;
    }
}
