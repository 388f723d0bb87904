using System.Buffers.Binary;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ZarrAudio.Zarr.Metadata;

/// <summary>Converts a fill value between its JSON form and the little-endian bytes of one element.</summary>
public static class FillValue
{
    public static byte[] Parse(JsonNode? node, DataType type, string? nodePath = null)
    {
        var bytes = new byte[type.Size()];
        try
        {
            if (node is not JsonValue value) throw Invalid();
            var element = value.GetValue<JsonElement>();
            switch (type)
            {
                case DataType.Bool:
                    if (element.ValueKind is not (JsonValueKind.True or JsonValueKind.False)) throw Invalid();
                    bytes[0] = element.GetBoolean() ? (byte)1 : (byte)0;
                    break;
                case DataType.Int8: bytes[0] = (byte)checked((sbyte)Integer(element)); break;
                case DataType.Int16: BinaryPrimitives.WriteInt16LittleEndian(bytes, checked((short)Integer(element))); break;
                case DataType.Int32: BinaryPrimitives.WriteInt32LittleEndian(bytes, checked((int)Integer(element))); break;
                case DataType.Int64: BinaryPrimitives.WriteInt64LittleEndian(bytes, Integer(element)); break;
                case DataType.UInt8: bytes[0] = checked((byte)Unsigned(element)); break;
                case DataType.UInt16: BinaryPrimitives.WriteUInt16LittleEndian(bytes, checked((ushort)Unsigned(element))); break;
                case DataType.UInt32: BinaryPrimitives.WriteUInt32LittleEndian(bytes, checked((uint)Unsigned(element))); break;
                case DataType.UInt64: BinaryPrimitives.WriteUInt64LittleEndian(bytes, Unsigned(element)); break;
                case DataType.Float32:
                    if (HexBits(element, 8) is { } bits32) BinaryPrimitives.WriteUInt32LittleEndian(bytes, (uint)bits32);
                    else if (IsNaNString(element)) BinaryPrimitives.WriteUInt32LittleEndian(bytes, CanonicalNaN32);
                    else BinaryPrimitives.WriteSingleLittleEndian(bytes, (float)Float(element));
                    break;
                case DataType.Float64:
                    if (HexBits(element, 16) is { } bits64) BinaryPrimitives.WriteUInt64LittleEndian(bytes, bits64);
                    else if (IsNaNString(element)) BinaryPrimitives.WriteUInt64LittleEndian(bytes, CanonicalNaN64);
                    else BinaryPrimitives.WriteDoubleLittleEndian(bytes, Float(element));
                    break;
            }
        }
        catch (Exception e) when (e is OverflowException or FormatException or InvalidOperationException)
        {
            throw new ZarrMetadataException($"fill_value {node?.ToJsonString() ?? "null"} is not a valid {type.ToName()}", nodePath, "zarr.json", e);
        }
        return bytes;

        ZarrMetadataException Invalid() =>
            new($"fill_value {node?.ToJsonString() ?? "null"} is not a valid {type.ToName()}", nodePath, "zarr.json");
    }

    // "NaN" means the canonical quiet NaN (sign bit clear); .NET's double.NaN has the sign bit set.
    private const uint CanonicalNaN32 = 0x7FC00000u;
    private const ulong CanonicalNaN64 = 0x7FF8000000000000ul;

    private static bool IsNaNString(JsonElement e) => e.ValueKind == JsonValueKind.String && e.GetString() == "NaN";

    private static long Integer(JsonElement e) =>
        e.ValueKind == JsonValueKind.Number && e.TryGetInt64(out var v) ? v : throw new FormatException("not an integer");

    private static ulong Unsigned(JsonElement e) =>
        e.ValueKind == JsonValueKind.Number && e.TryGetUInt64(out var v) ? v : throw new FormatException("not an unsigned integer");

    private static double Float(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Number => e.GetDouble(),
        JsonValueKind.String => e.GetString() switch
        {
            "NaN" => double.NaN,
            "Infinity" => double.PositiveInfinity,
            "-Infinity" => double.NegativeInfinity,
            _ => throw new FormatException("unknown float string"),
        },
        _ => throw new FormatException("not a float"),
    };

    private static ulong? HexBits(JsonElement e, int digits)
    {
        if (e.ValueKind != JsonValueKind.String) return null;
        var s = e.GetString()!;
        if (!s.StartsWith("0x", StringComparison.Ordinal)) return null;
        if (s.Length != digits + 2) throw new FormatException($"hex fill value needs {digits} digits");
        return ulong.Parse(s.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
    }

    public static JsonNode ToJson(ReadOnlySpan<byte> bytes, DataType type) => type switch
    {
        DataType.Bool => JsonValue.Create(bytes[0] != 0),
        DataType.Int8 => JsonValue.Create((sbyte)bytes[0]),
        DataType.Int16 => JsonValue.Create(BinaryPrimitives.ReadInt16LittleEndian(bytes)),
        DataType.Int32 => JsonValue.Create(BinaryPrimitives.ReadInt32LittleEndian(bytes)),
        DataType.Int64 => JsonValue.Create(BinaryPrimitives.ReadInt64LittleEndian(bytes)),
        DataType.UInt8 => JsonValue.Create(bytes[0]),
        DataType.UInt16 => JsonValue.Create(BinaryPrimitives.ReadUInt16LittleEndian(bytes)),
        DataType.UInt32 => JsonValue.Create(BinaryPrimitives.ReadUInt32LittleEndian(bytes)),
        DataType.UInt64 => JsonValue.Create(BinaryPrimitives.ReadUInt64LittleEndian(bytes)),
        DataType.Float32 => FloatJson(BinaryPrimitives.ReadSingleLittleEndian(bytes), BinaryPrimitives.ReadUInt32LittleEndian(bytes), CanonicalNaN32, 8),
        DataType.Float64 => FloatJson(BinaryPrimitives.ReadDoubleLittleEndian(bytes), BinaryPrimitives.ReadUInt64LittleEndian(bytes), CanonicalNaN64, 16),
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    private static JsonNode FloatJson(double value, ulong bits, ulong canonicalNaN, int digits)
    {
        if (double.IsNaN(value))
            return bits == canonicalNaN ? JsonValue.Create("NaN") : JsonValue.Create("0x" + bits.ToString("x" + digits, CultureInfo.InvariantCulture));
        if (double.IsPositiveInfinity(value)) return JsonValue.Create("Infinity");
        if (double.IsNegativeInfinity(value)) return JsonValue.Create("-Infinity");
        return JsonValue.Create(value);
    }
}
