using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace ZarrAudio.Training;

/// <summary>
/// Writes NumPy's .npy format (version 1.0, numpy.lib.format): the magic "\x93NUMPY", the version, a little-endian
/// header length, a Python dict literal with dtype, order and shape padded with spaces to a multiple of 64 bytes,
/// then the data in C order. Written by hand: no .NET package writes it, and the header is a few bytes.
/// </summary>
public static class NpyFile
{
    public static void Write(Stream stream, ReadOnlySpan<float> data, IReadOnlyList<int> shape) => Write(stream, "<f4", MemoryMarshal.AsBytes(data), shape, data.Length);
    public static void Write(Stream stream, ReadOnlySpan<double> data, IReadOnlyList<int> shape) => Write(stream, "<f8", MemoryMarshal.AsBytes(data), shape, data.Length);
    public static void Write(Stream stream, ReadOnlySpan<long> data, IReadOnlyList<int> shape) => Write(stream, "<i8", MemoryMarshal.AsBytes(data), shape, data.Length);

    private static void Write(Stream stream, string dtype, ReadOnlySpan<byte> bytes, IReadOnlyList<int> shape, int count)
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException(".npy files are written little-endian, from a little-endian machine.");
        long elements = 1;
        foreach (var d in shape) elements *= d;
        if (elements != count) throw new ArgumentException($"A shape of ({string.Join(", ", shape)}) holds {elements} values, not {count}.", nameof(shape));
        var dims = shape.Count == 1 ? $"{shape[0]}," : string.Join(", ", shape);
        var dict = $"{{'descr': '{dtype}', 'fortran_order': False, 'shape': ({dims}), }}";
        const int prefix = 10; // magic (6), version (2), header length (2)
        var padded = (prefix + dict.Length + 1 + 63) / 64 * 64 - prefix;
        var header = new byte[prefix + padded];
        header[0] = 0x93;
        "NUMPY"u8.CopyTo(header.AsSpan(1));
        header[6] = 1;
        header[7] = 0;
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(8), (ushort)padded);
        var text = Encoding.ASCII.GetBytes(dict.PadRight(padded - 1) + "\n");
        text.CopyTo(header, prefix);
        stream.Write(header);
        stream.Write(bytes);
    }
}
