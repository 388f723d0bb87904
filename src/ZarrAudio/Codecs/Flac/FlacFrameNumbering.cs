namespace ZarrAudio.Codecs.Flac;

/// <summary>
/// Rewrites the frame number in a fixed-blocksize FLAC frame's header, with the header's CRC-8 and the frame's CRC-16
/// recomputed: how frames that separate encoders made, each counting from 0, join into one valid stream.
/// </summary>
internal static class FlacFrameNumbering
{
    /// <summary>FLAC's CRC-8 (poly 0x07) and CRC-16 (poly 0x8005) tables, also used to find frames in a source.</summary>
    internal static readonly byte[] Crc8Table = BuildCrc8();
    internal static readonly ushort[] Crc16Table = BuildCrc16();

    /// <summary>The frame with its number set to <paramref name="number"/>; the audio bytes are unchanged.</summary>
    public static byte[] Renumber(ReadOnlySpan<byte> frame, long number)
    {
        if (frame.Length < 7 || frame[0] != 0xFF || (frame[1] & 0xFE) != 0xF8 || (frame[1] & 1) != 0)
            throw new CodecException("Not a fixed-blocksize FLAC frame");
        var oldLength = Utf8Length(frame[4]);
        var extra = (frame[2] >> 4) switch { 6 => 1, 7 => 2, _ => 0 } + (frame[2] & 15) switch { 12 => 1, 13 or 14 => 2, _ => 0 };
        var oldHeaderEnd = 4 + oldLength + extra; // the CRC-8 byte
        Span<byte> coded = stackalloc byte[7];
        var newLength = EncodeUtf8(number, coded);
        var result = new byte[frame.Length - oldLength + newLength];
        frame[..4].CopyTo(result);
        coded[..newLength].CopyTo(result.AsSpan(4));
        frame.Slice(4 + oldLength, extra).CopyTo(result.AsSpan(4 + newLength));
        var headerEnd = 4 + newLength + extra;
        result[headerEnd] = Crc8(result.AsSpan(0, headerEnd));
        frame[(oldHeaderEnd + 1)..^2].CopyTo(result.AsSpan(headerEnd + 1));
        var crc = Crc16(result.AsSpan(0, result.Length - 2));
        result[^2] = (byte)(crc >> 8);
        result[^1] = (byte)crc;
        return result;
    }

    private static int Utf8Length(byte first) =>
        first < 0x80 ? 1 : first < 0xE0 ? 2 : first < 0xF0 ? 3 : first < 0xF8 ? 4 : first < 0xFC ? 5 : first < 0xFE ? 6 : 7;

    /// <summary>FLAC's extended UTF-8 coding of a number up to 36 bits.</summary>
    private static int EncodeUtf8(long value, Span<byte> target)
    {
        if (value < 0x80) { target[0] = (byte)value; return 1; }
        var length = value < 0x800 ? 2 : value < 0x10000 ? 3 : value < 0x200000 ? 4 : value < 0x4000000 ? 5 : value < 0x80000000 ? 6 : 7;
        for (var i = length - 1; i > 0; i--, value >>= 6) target[i] = (byte)(0x80 | (value & 0x3F));
        target[0] = length == 7 ? (byte)0xFE : (byte)((0xFF00 >> length) & 0xFF | (int)value);
        return length;
    }

    public static byte Crc8(ReadOnlySpan<byte> bytes)
    {
        byte crc = 0;
        foreach (var b in bytes) crc = Crc8Table[crc ^ b];
        return crc;
    }

    /// <summary>
    /// The frame's CRC-16, eight bytes a step (slicing: <see cref="Crc16Slices"/>[k] is the CRC of a byte followed by
    /// k zero bytes, so eight lookups replace eight dependent ones); every frame of a parallel encode is summed again.
    /// </summary>
    public static ushort Crc16(ReadOnlySpan<byte> bytes)
    {
        var t = Crc16Slices;
        uint crc = 0;
        var i = 0;
        for (; i + 8 <= bytes.Length; i += 8)
            crc = (uint)(t[7][(crc >> 8) ^ bytes[i]] ^ t[6][(crc & 0xFF) ^ bytes[i + 1]] ^ t[5][bytes[i + 2]] ^ t[4][bytes[i + 3]]
                ^ t[3][bytes[i + 4]] ^ t[2][bytes[i + 5]] ^ t[1][bytes[i + 6]] ^ t[0][bytes[i + 7]]);
        for (; i < bytes.Length; i++) crc = (ushort)((crc << 8) ^ Crc16Table[(crc >> 8) ^ bytes[i]]);
        return (ushort)crc;
    }

    private static readonly ushort[][] Crc16Slices = BuildSlices();

    private static ushort[][] BuildSlices()
    {
        var slices = new ushort[8][];
        slices[0] = Crc16Table;
        for (var k = 1; k < 8; k++)
        {
            slices[k] = new ushort[256];
            for (var x = 0; x < 256; x++)
            {
                var previous = slices[k - 1][x];
                slices[k][x] = (ushort)((previous << 8) ^ Crc16Table[previous >> 8]);
            }
        }
        return slices;
    }

    private static byte[] BuildCrc8()
    {
        var table = new byte[256];
        for (var i = 0; i < 256; i++)
        {
            var c = (byte)i;
            for (var k = 0; k < 8; k++) c = (byte)((c & 0x80) != 0 ? (c << 1) ^ 0x07 : c << 1);
            table[i] = c;
        }
        return table;
    }

    private static ushort[] BuildCrc16()
    {
        var table = new ushort[256];
        for (var i = 0; i < 256; i++)
        {
            var c = (ushort)(i << 8);
            for (var k = 0; k < 8; k++) c = (ushort)((c & 0x8000) != 0 ? (c << 1) ^ 0x8005 : c << 1);
            table[i] = c;
        }
        return table;
    }
}
