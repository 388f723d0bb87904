namespace ZarrAudio.Codecs.Aac;

/// <summary>
/// AAC's import setting, resolved for a source: the bitrate (bits per second of real time, all channels). Stored with
/// what follows from it as technical.aac = {bitrate, bits_per_sample_per_channel, ...} (see <see cref="AacCodec"/>).
/// </summary>
internal sealed record AacSettings(long Bitrate) : IResolvedCodec
{
    public static readonly CodecOption BitrateOption = new("Bitrate", typeof(long),
        "AAC bits per second of real time for each recording (all channels); default 2 bits per sample per channel " +
        "(96 kbit/s a channel at 48 kHz), 0.25 to 6 bits per sample per channel.", 1, long.MaxValue);

    /// <summary>
    /// The bitrate asked for, or the default of 2 bits per sample per channel; refused outside 0.25 to 6 bits per
    /// sample per channel of this source, naming the range.
    /// </summary>
    public static AacSettings Resolve(CodecOptions options, SourceFormat source, string sourceName)
    {
        var perSample = (double)source.SampleRate * source.Channels;
        if (!options.TryGet<long>(BitrateOption, out var bitrate)) return new((long)Math.Round(AacCodec.DefaultBitsPerSample * perSample));
        var min = (long)Math.Ceiling(AacCodec.MinBitsPerSample * perSample);
        var max = (long)Math.Floor(AacCodec.MaxBitsPerSample * perSample);
        if (bitrate < min || bitrate > max)
            throw new UnsupportedSourceException($"'{sourceName}': a bitrate of {bitrate:N0} bit/s is outside what AAC stores for {source.Channels} channel(s) at {source.SampleRate:N0} Hz: {min:N0} to {max:N0} bit/s (0.25 to 6 bits per sample per channel).");
        return new(bitrate);
    }

    public async Task<IRecordingEncoder> CreateEncoderAsync(EncodeTarget target, CancellationToken ct) =>
        await AacRecordingEncoder.CreateAsync(target, Bitrate, ct).ConfigureAwait(false);
}
