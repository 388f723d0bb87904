using ZarrAudio.Codecs.Flac;

namespace ZarrAudio.Tests;

/// <summary>The bytes FLAC's MD5 covers, against the definition written out byte by byte, at every width and length.</summary>
public sealed class FlacMd5InputTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void EverySampleIsLittleEndianInItsWholeBytes(int width)
    {
        var random = new Random(width);
        foreach (var length in new[] { 0, 1, 2, 15, 16, 17, 31, 33, 1000 })
        {
            var bits = 8 * width;
            var samples = Enumerable.Range(0, length).Select(_ => width == 4 ? random.Next(int.MinValue, int.MaxValue) : random.Next(-(1 << (bits - 1)), 1 << (bits - 1))).ToArray();
            var expected = samples.SelectMany(v => Enumerable.Range(0, width).Select(b => (byte)(v >> (8 * b)))).ToArray();
            var buffer = new byte[length * width + 8];
            Assert.Equal(expected, FlacMd5Input.Write(samples, width, buffer).ToArray());
        }
    }
}
