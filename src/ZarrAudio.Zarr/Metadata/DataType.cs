namespace ZarrAudio.Zarr.Metadata;

/// <summary>The core Zarr v3 data types. In memory every element is stored little-endian.</summary>
public enum DataType { Bool, Int8, Int16, Int32, Int64, UInt8, UInt16, UInt32, UInt64, Float32, Float64 }

public static class DataTypes
{
    private static readonly Dictionary<string, DataType> ByName = Enum.GetValues<DataType>()
        .ToDictionary(ToName, t => t, StringComparer.Ordinal);

    public static string ToName(this DataType type) => type.ToString().ToLowerInvariant();

    public static bool TryParse(string name, out DataType type) => ByName.TryGetValue(name, out type);

    public static int Size(this DataType type) => type switch
    {
        DataType.Bool or DataType.Int8 or DataType.UInt8 => 1,
        DataType.Int16 or DataType.UInt16 => 2,
        DataType.Int32 or DataType.UInt32 or DataType.Float32 => 4,
        _ => 8,
    };

    public static bool IsFloat(this DataType type) => type is DataType.Float32 or DataType.Float64;

    /// <summary>The data type whose elements are <typeparamref name="T"/>.</summary>
    public static DataType Of<T>() where T : unmanaged => typeof(T) switch
    {
        var t when t == typeof(bool) => DataType.Bool,
        var t when t == typeof(sbyte) => DataType.Int8,
        var t when t == typeof(short) => DataType.Int16,
        var t when t == typeof(int) => DataType.Int32,
        var t when t == typeof(long) => DataType.Int64,
        var t when t == typeof(byte) => DataType.UInt8,
        var t when t == typeof(ushort) => DataType.UInt16,
        var t when t == typeof(uint) => DataType.UInt32,
        var t when t == typeof(ulong) => DataType.UInt64,
        var t when t == typeof(float) => DataType.Float32,
        var t when t == typeof(double) => DataType.Float64,
        _ => throw new ArgumentException($"{typeof(T)} is not a Zarr data type"),
    };
}
