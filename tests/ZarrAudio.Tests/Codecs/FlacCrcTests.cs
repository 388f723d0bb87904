using ZarrAudio.Codecs.Flac;

namespace ZarrAudio.Tests;

/// <summary>The frame CRC-16 (polynomial 0x8005, MSB first, initial 0), eight bytes a step, against its bit-by-bit definition.</summary>
public sealed class FlacCrcTests
{
    private static ushort BitByBit(byte[] bytes)
    {
        var crc = 0;
        foreach (var b in bytes)
        {
            crc ^= b << 8;
            for (var k = 0; k < 8; k++) crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x8005 : crc << 1;
            crc &= 0xFFFF;
        }
        return (ushort)crc;
    }

    [Fact]
    public void TheSlicedCrc16IsTheDefinitionsAtEveryLength()
    {
        var random = new Random(16);
        for (var length = 0; length < 300; length++)
        {
            var bytes = new byte[length];
            random.NextBytes(bytes);
            Assert.Equal(BitByBit(bytes), FlacFrameNumbering.Crc16(bytes));
        }
        var frame = new byte[100_003];
        random.NextBytes(frame);
        Assert.Equal(BitByBit(frame), FlacFrameNumbering.Crc16(frame));
    }
}
