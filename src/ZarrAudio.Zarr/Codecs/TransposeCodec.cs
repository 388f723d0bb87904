using System.Text.Json.Nodes;
using ZarrAudio.Zarr.Metadata;

namespace ZarrAudio.Zarr.Codecs;

/// <summary>The <c>transpose</c> codec: encoded dimension i is decoded dimension order[i].</summary>
public sealed class TransposeCodec : IArrayToArrayCodec
{
    public TransposeCodec(int[] order) => Order = order;

    public int[] Order { get; }
    public string Name => "transpose";
    public JsonObject? Configuration => new() { ["order"] = new JsonArray(Order.Select(o => (JsonNode)o).ToArray()) };

    public static TransposeCodec FromConfiguration(JsonObject? config, int rank, string? nodePath)
    {
        var order = (config?["order"] as JsonArray)?.Select(n => n!.GetValue<int>()).ToArray();
        if (order is null || order.Length != rank || order.Order().Where((v, i) => v != i).Any())
            throw new ZarrMetadataException($"transpose order must be a permutation of 0..{rank - 1}", nodePath, NodeMetadata.Key);
        return new TransposeCodec(order);
    }

    public ChunkSpec EncodedSpec(ChunkSpec decoded) => decoded.WithShape(Order.Select(o => decoded.Shape[o]).ToArray());

    public byte[] Encode(byte[] elements, ChunkSpec decoded) => Permute(elements, decoded.Shape, Order, decoded.DataType.Size());

    public byte[] Decode(byte[] elements, ChunkSpec decoded)
    {
        var inverse = new int[Order.Length];
        for (var i = 0; i < Order.Length; i++) inverse[Order[i]] = i;
        return Permute(elements, EncodedSpec(decoded).Shape, inverse, decoded.DataType.Size());
    }

    /// <summary>Output dimension i is input dimension order[i].</summary>
    private static byte[] Permute(byte[] input, int[] inputShape, int[] order, int size)
    {
        var rank = inputShape.Length;
        var output = new byte[input.Length];
        if (input.Length == 0) return output;
        var inStrides = new long[rank];
        RegionCopy.Strides(RegionCopy.ToLong(inputShape), inStrides);
        var outShape = order.Select(o => inputShape[o]).ToArray();
        var index = new int[rank];
        var count = input.Length / size;
        for (var o = 0; o < count; o++)
        {
            long source = 0;
            for (var d = 0; d < rank; d++) source += index[d] * inStrides[order[d]];
            input.AsSpan((int)(source * size), size).CopyTo(output.AsSpan(o * size));
            for (var d = rank - 1; d >= 0 && ++index[d] == outShape[d]; d--) index[d] = 0;
        }
        return output;
    }
}
