using System.Text;
using System.Text.Json.Nodes;
using ZarrAudio.Zarr.Codecs;
using ZarrAudio.Zarr.Metadata;
using static ZarrAudio.Zarr.Tests.TestArrays;

namespace ZarrAudio.Zarr.Tests;

public class CodecTests
{
    private static ChunkSpec Spec(DataType type, params int[] shape) => new(shape, type, new byte[type.Size()]);

    [Fact]
    public void Crc32cMatchesTheCheckValue()
    {
        Assert.Equal(0xE3069283u, Crc32cCodec.Compute(Encoding.ASCII.GetBytes("123456789")));
        var encoded = new Crc32cCodec().Encode(Encoding.ASCII.GetBytes("123456789"), Spec(DataType.UInt8, 9));
        Assert.Equal(new byte[] { 0x83, 0x92, 0x06, 0xE3 }, encoded[^4..]);
    }

    [Fact]
    public void Crc32cRejectsACorruptedValue()
    {
        var codec = new Crc32cCodec();
        var encoded = codec.Encode(new byte[] { 1, 2, 3, 4 }, Spec(DataType.UInt8, 4));
        encoded[1] ^= 0x40;
        var e = Assert.Throws<ZarrChecksumException>(() => codec.Decode(encoded, Spec(DataType.UInt8, 4) with { NodePath = "a", Key = "a/c/0" }));
        Assert.Contains("a/c/0", e.Message);
    }

    [Fact]
    public void BytesCodecWritesBothEndians()
    {
        var elements = BitConverter.GetBytes(0x01020304);
        Assert.Equal(new byte[] { 4, 3, 2, 1 }, new BytesCodec(false).Encode(elements, Spec(DataType.Int32, 1)));
        Assert.Equal(new byte[] { 1, 2, 3, 4 }, new BytesCodec(true).Encode(elements, Spec(DataType.Int32, 1)));
        Assert.Equal(elements, new BytesCodec(true).Decode(new byte[] { 1, 2, 3, 4 }, Spec(DataType.Int32, 1)));
    }

    [Fact]
    public void BytesCodecRejectsWrongSizes()
    {
        Assert.Throws<ZarrChunkSizeException>(() => new BytesCodec().Decode(new byte[7], Spec(DataType.Int32, 2)));
        Assert.Throws<ZarrChunkSizeException>(() => new BytesCodec().Decode(new byte[12], Spec(DataType.Int32, 2)));
    }

    [Fact]
    public void GzipIsRfc1952AndRoundTrips()
    {
        var data = Data(DataType.Int16, 1000);
        var encoded = new GzipCodec(6).Encode(data, Spec(DataType.Int16, 1000));
        Assert.Equal(new byte[] { 0x1F, 0x8B }, encoded[..2]);
        Assert.Equal(data, new GzipCodec().Decode(encoded, Spec(DataType.Int16, 1000)));
        encoded[encoded.Length / 2] ^= 0xFF;
        Assert.ThrowsAny<ZarrCodecException>(() => new GzipCodec().Decode(encoded, Spec(DataType.Int16, 1000)));
    }

    [Theory]
    [InlineData("lz4", "shuffle")]
    [InlineData("zstd", "bitshuffle")]
    [InlineData("blosclz", "noshuffle")]
    public void BloscRoundTripsAndRefusesDamagedHeaders(string cname, string shuffle)
    {
        var data = Data(DataType.Int16, 5000);
        var codec = new BloscCodec(cname, 5, shuffle, 2);
        var encoded = codec.Encode(data, Spec(DataType.Int16, 5000));
        Assert.Equal(data, codec.Decode(encoded, Spec(DataType.Int16, 5000)));
        // A truncated value, and one whose header claims more than it holds, are errors, not reads past the end.
        Assert.ThrowsAny<ZarrCodecException>(() => codec.Decode(encoded.AsSpan(0, encoded.Length / 2), Spec(DataType.Int16, 5000)));
        var lying = (byte[])encoded.Clone();
        lying[12] ^= 0x7F; // cbytes, the compressed size in the header
        Assert.ThrowsAny<ZarrCodecException>(() => codec.Decode(lying, Spec(DataType.Int16, 5000)));
        Assert.ThrowsAny<ZarrCodecException>(() => codec.Decode(new byte[5], Spec(DataType.Int16, 5000)));
    }

    [Fact]
    public void BloscRefusesConfigurationsItCannotHonour()
    {
        Assert.Throws<ArgumentException>(() => new BloscCodec("brotli"));
        Assert.Throws<ArgumentException>(() => new BloscCodec("lz4", 12));
        Assert.Throws<ArgumentException>(() => new BloscCodec("lz4", 5, "delta"));
    }

    [Fact]
    public void ZstdRoundTripsWithChecksumAndDetectsCorruption()
    {
        var data = new byte[4000];
        new Random(3).NextBytes(data.AsSpan(0, 500));
        var codec = new ZstdCodec(7, checksum: true);
        var encoded = codec.Encode(data, Spec(DataType.UInt8, 4000));
        Assert.True(encoded.Length < data.Length);
        Assert.Equal(data, codec.Decode(encoded, Spec(DataType.UInt8, 4000)));
        encoded[^2] ^= 0xFF; // inside the content checksum
        Assert.ThrowsAny<ZarrCodecException>(() => codec.Decode(encoded, Spec(DataType.UInt8, 4000)));
        Assert.Equal(7, codec.Configuration!["level"]!.GetValue<int>());
        Assert.True(codec.Configuration!["checksum"]!.GetValue<bool>());
    }

    [Fact]
    public void TransposeMovesDimensionsAsTheSpecSays()
    {
        // decoded [2,3] → order [1,0] → encoded [3,2]: encoded[j,i] = decoded[i,j]
        var decoded = new byte[] { 0, 1, 2, 3, 4, 5 };
        var codec = new TransposeCodec([1, 0]);
        var spec = Spec(DataType.UInt8, 2, 3);
        Assert.Equal(new[] { 3, 2 }, codec.EncodedSpec(spec).Shape);
        var encoded = codec.Encode(decoded, spec);
        Assert.Equal(new byte[] { 0, 3, 1, 4, 2, 5 }, encoded);
        Assert.Equal(decoded, codec.Decode(encoded, spec));
    }

    [Fact]
    public void ShardIndexIsSixteenBytesPerChunkPlusChecksumAndMarksEmptyChunks()
    {
        var codec = ShardingCodec.Create([4], [Little], DataType.Int32);
        var spec = Spec(DataType.Int32, 16);
        var data = new byte[64];
        for (var i = 0; i < 4; i++) data[i * 4] = 9;          // inner chunk 0 has data
        for (var i = 8; i < 12; i++) data[i * 4] = 7;         // inner chunk 2 has data; 1 and 3 are fill
        var encoded = codec.Encode(data, spec);
        Assert.Equal(2 * 16 + 16 * 4 + 4, encoded.Length);
        var index = encoded.AsSpan(encoded.Length - 68, 64);
        Assert.Equal(ulong.MaxValue, BitConverter.ToUInt64(index[16..]));
        Assert.Equal(ulong.MaxValue, BitConverter.ToUInt64(index[24..]));
        Assert.Equal(16ul, BitConverter.ToUInt64(index[40..]));
        Assert.Equal(data, codec.Decode(encoded, spec));
    }

    [Fact]
    public void ShardIndexAtStartShiftsOffsets()
    {
        var codec = ShardingCodec.Create([2], [Little, Gzip()], DataType.UInt8, indexAtEnd: false);
        var spec = Spec(DataType.UInt8, 4);
        var data = new byte[] { 1, 2, 3, 4 };
        var encoded = codec.Encode(data, spec);
        Assert.Equal(36ul, BitConverter.ToUInt64(encoded, 0)); // first inner chunk right after the 2*16+4 index
        Assert.Equal(data, codec.Decode(encoded, spec));
        Assert.Equal("start", codec.Configuration!["index_location"]!.GetValue<string>());
    }

    [Fact]
    public void ShardWithCorruptIndexOrTruncatedDataFails()
    {
        var codec = ShardingCodec.Create([2], [Little], DataType.UInt8);
        var spec = Spec(DataType.UInt8, 4);
        var encoded = codec.Encode(new byte[] { 1, 2, 3, 4 }, spec);
        var corrupt = (byte[])encoded.Clone();
        corrupt[^10] ^= 1;
        Assert.Throws<ZarrChecksumException>(() => codec.Decode(corrupt, spec));
        Assert.Throws<ZarrChunkSizeException>(() => codec.Decode(encoded[..10], spec));
    }

    [Fact]
    public void PipelineRefusesBadOrdersAndUnknownCodecs()
    {
        var ctx = new CodecContext(DataType.Int32, [4], "arr");
        Assert.Throws<ZarrMetadataException>(() => CodecPipeline.Create([Gzip(), Little], ctx));
        Assert.Throws<ZarrMetadataException>(() => CodecPipeline.Create([Little, Little], ctx));
        Assert.Throws<ZarrMetadataException>(() => CodecPipeline.Create([Gzip()], ctx));
        Assert.Throws<ZarrMetadataException>(() => CodecPipeline.Create([new CodecMetadata("bytes")], ctx)); // endian required for int32
        var unknown = Assert.Throws<ZarrCodecException>(() => CodecPipeline.Create([Little, new CodecMetadata("lz4hc")], ctx));
        Assert.Contains("lz4hc", unknown.Message);
        Assert.Throws<ZarrMetadataException>(() => CodecPipeline.Create([Sharding([3], [Little])], ctx)); // 3 does not divide 4
        Assert.Throws<ZarrMetadataException>(() => CodecPipeline.Create([new CodecMetadata("transpose", new JsonObject { ["order"] = new JsonArray(1) }), Little], ctx));
    }

    /// <summary>
    /// Compression bombs: a few KB that expand to 256 MiB, given as an 8 KiB chunk. Each compressor stops at its bound
    /// with an error, allocating about the chunk's size, not what the data asks for (it allocated up to 2 GiB).
    /// </summary>
    [Fact]
    public void CompressionBombsAreRefusedWithoutExpanding()
    {
        var zeros = new byte[256 << 20];
        var chunk = Spec(DataType.Int16, 4096);
        var streamed = new MemoryStream();
        using (var writer = new ZstdSharp.CompressionStream(streamed, 1)) writer.Write(zeros); // no content size in the frame
        var bombs = new (string Name, IBytesToBytesCodec Codec, byte[] Bytes)[]
        {
            ("zstd", new ZstdCodec(), new ZstdCodec(1).Encode(zeros, Spec(DataType.UInt8, zeros.Length))),
            ("zstd streamed", new ZstdCodec(), streamed.ToArray()),
            ("gzip", new GzipCodec(), new GzipCodec(1).Encode(zeros, Spec(DataType.UInt8, zeros.Length))),
            ("blosc", new BloscCodec("lz4", 1), new BloscCodec("lz4", 1).Encode(zeros, Spec(DataType.UInt8, zeros.Length))),
        };
        foreach (var (name, codec, bytes) in bombs)
        {
            Assert.True(bytes.Length < 4 << 20, $"{name} bomb is {bytes.Length} bytes");
            var before = GC.GetAllocatedBytesForCurrentThread();
            var e = Assert.ThrowsAny<ZarrCodecException>(() => codec.Decode(bytes, chunk));
            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.True(allocated < 8 << 20, $"{name}: {allocated:N0} bytes allocated to refuse it");
            Assert.Contains("damaged or hostile", e.Message);
        }
    }
}
