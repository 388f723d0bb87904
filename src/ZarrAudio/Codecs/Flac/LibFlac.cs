using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using ZarrAudio.Native;

namespace ZarrAudio.Codecs.Flac;

/// <summary>The parts of libFLAC's C API that ZarrAudio uses (stream encoder and stream decoder).</summary>
internal static unsafe partial class LibFlac
{
    static LibFlac() => NativeLibraryResolver.Register();

    private const string Lib = NativeLibraryResolver.Flac;

    // Encoder
    [LibraryImport(Lib, EntryPoint = "FLAC__stream_encoder_new")] public static partial IntPtr EncoderNew();
    [LibraryImport(Lib, EntryPoint = "FLAC__stream_encoder_delete")] public static partial void EncoderDelete(IntPtr encoder);
    [LibraryImport(Lib, EntryPoint = "FLAC__stream_encoder_set_channels")] public static partial int EncoderSetChannels(IntPtr encoder, uint value);
    [LibraryImport(Lib, EntryPoint = "FLAC__stream_encoder_set_bits_per_sample")] public static partial int EncoderSetBitsPerSample(IntPtr encoder, uint value);
    [LibraryImport(Lib, EntryPoint = "FLAC__stream_encoder_set_sample_rate")] public static partial int EncoderSetSampleRate(IntPtr encoder, uint value);
    [LibraryImport(Lib, EntryPoint = "FLAC__stream_encoder_set_compression_level")] public static partial int EncoderSetCompressionLevel(IntPtr encoder, uint value);
    [LibraryImport(Lib, EntryPoint = "FLAC__stream_encoder_set_streamable_subset")] public static partial int EncoderSetStreamableSubset(IntPtr encoder, int value);
    [LibraryImport(Lib, EntryPoint = "FLAC__stream_encoder_set_blocksize")] public static partial int EncoderSetBlocksize(IntPtr encoder, uint value);
    [LibraryImport(Lib, EntryPoint = "FLAC__stream_encoder_set_total_samples_estimate")] public static partial int EncoderSetTotalSamplesEstimate(IntPtr encoder, ulong value);
    [LibraryImport(Lib, EntryPoint = "FLAC__stream_encoder_set_do_md5")] public static partial int EncoderSetDoMd5(IntPtr encoder, int value);
    [LibraryImport(Lib, EntryPoint = "FLAC__stream_encoder_get_blocksize")] public static partial uint EncoderGetBlocksize(IntPtr encoder);
    [LibraryImport(Lib, EntryPoint = "FLAC__stream_encoder_get_state")] public static partial int EncoderGetState(IntPtr encoder);
    [LibraryImport(Lib, EntryPoint = "FLAC__stream_encoder_init_stream")]
    public static partial int EncoderInitStream(IntPtr encoder,
        delegate* unmanaged[Cdecl]<IntPtr, byte*, nuint, uint, uint, IntPtr, int> write,
        IntPtr seek, IntPtr tell,
        delegate* unmanaged[Cdecl]<IntPtr, IntPtr, IntPtr, void> metadata,
        IntPtr clientData);
    [LibraryImport(Lib, EntryPoint = "FLAC__stream_encoder_process_interleaved")] public static partial int EncoderProcessInterleaved(IntPtr encoder, int* buffer, uint samplesPerChannel);
    [LibraryImport(Lib, EntryPoint = "FLAC__stream_encoder_finish")] public static partial int EncoderFinish(IntPtr encoder);

    // Decoder
    [LibraryImport(Lib, EntryPoint = "FLAC__stream_decoder_new")] public static partial IntPtr DecoderNew();
    [LibraryImport(Lib, EntryPoint = "FLAC__stream_decoder_delete")] public static partial void DecoderDelete(IntPtr decoder);
    [LibraryImport(Lib, EntryPoint = "FLAC__stream_decoder_set_md5_checking")] public static partial int DecoderSetMd5Checking(IntPtr decoder, int value);
    [LibraryImport(Lib, EntryPoint = "FLAC__stream_decoder_init_stream")]
    public static partial int DecoderInitStream(IntPtr decoder,
        delegate* unmanaged[Cdecl]<IntPtr, byte*, nuint*, IntPtr, int> read,
        IntPtr seek, IntPtr tell, IntPtr length, IntPtr eof,
        delegate* unmanaged[Cdecl]<IntPtr, FrameHeader*, int**, IntPtr, int> write,
        IntPtr metadata,
        delegate* unmanaged[Cdecl]<IntPtr, int, IntPtr, void> error,
        IntPtr clientData);
    [LibraryImport(Lib, EntryPoint = "FLAC__stream_decoder_process_single")] public static partial int DecoderProcessSingle(IntPtr decoder);
    [LibraryImport(Lib, EntryPoint = "FLAC__stream_decoder_process_until_end_of_metadata")] public static partial int DecoderProcessUntilEndOfMetadata(IntPtr decoder);
    [LibraryImport(Lib, EntryPoint = "FLAC__stream_decoder_process_until_end_of_stream")] public static partial int DecoderProcessUntilEndOfStream(IntPtr decoder);
    [LibraryImport(Lib, EntryPoint = "FLAC__stream_decoder_flush")] public static partial int DecoderFlush(IntPtr decoder);
    [LibraryImport(Lib, EntryPoint = "FLAC__stream_decoder_finish")] public static partial int DecoderFinish(IntPtr decoder);
    [LibraryImport(Lib, EntryPoint = "FLAC__stream_decoder_get_state")] public static partial int DecoderGetState(IntPtr decoder);

    // Whole-file decoding with seek_absolute: the native baseline the benchmarks compare against.
    [LibraryImport(Lib, EntryPoint = "FLAC__stream_decoder_init_file", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int DecoderInitFile(IntPtr decoder, string path,
        delegate* unmanaged[Cdecl]<IntPtr, FrameHeader*, int**, IntPtr, int> write, IntPtr metadata,
        delegate* unmanaged[Cdecl]<IntPtr, int, IntPtr, void> error, IntPtr clientData);
    // Ogg FLAC: the same decoder reading one logical stream of an Ogg file.
    [LibraryImport(Lib, EntryPoint = "FLAC__stream_decoder_init_ogg_file", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int DecoderInitOggFile(IntPtr decoder, string path,
        delegate* unmanaged[Cdecl]<IntPtr, FrameHeader*, int**, IntPtr, int> write, IntPtr metadata,
        delegate* unmanaged[Cdecl]<IntPtr, int, IntPtr, void> error, IntPtr clientData);
    [LibraryImport(Lib, EntryPoint = "FLAC__stream_decoder_set_ogg_serial_number")] public static partial int DecoderSetOggSerialNumber(IntPtr decoder, int serial);
    [LibraryImport(Lib, EntryPoint = "FLAC__stream_decoder_get_decode_position")] public static partial int DecoderGetDecodePosition(IntPtr decoder, out ulong position);
    [LibraryImport(Lib, EntryPoint = "FLAC__stream_decoder_seek_absolute")] public static partial int DecoderSeekAbsolute(IntPtr decoder, ulong sample);

    /// <summary>FLAC__FRAME_NUMBER_TYPE_SAMPLE_NUMBER: <see cref="FrameHeader.Number"/> is a sample number, not a frame number.</summary>
    public const int SampleNumberType = 1;

    /// <summary>The start of FLAC__FrameHeader (FLAC__Frame begins with it).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct FrameHeader
    {
        public uint Blocksize;
        public uint SampleRate;
        public uint Channels;
        public int ChannelAssignment;
        public uint BitsPerSample;
        public int NumberType;
        public ulong Number;
    }

    /// <summary>FLAC__StreamMetadata with the STREAMINFO member of its union.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct StreamInfoMetadata
    {
        public int Type;
        public int IsLast;
        public uint Length;
        private readonly uint _unionAlignment; // the data union holds a uint64, so it starts at offset 16
        public uint MinBlocksize;
        public uint MaxBlocksize;
        public uint MinFramesize;
        public uint MaxFramesize;
        public uint SampleRate;
        public uint Channels;
        public uint BitsPerSample;
        public ulong TotalSamples;
        public fixed byte Md5[16];
    }

    public static readonly string[] EncoderStates =
    [
        "OK", "UNINITIALIZED", "OGG_ERROR", "VERIFY_DECODER_ERROR", "VERIFY_MISMATCH_IN_AUDIO_DATA",
        "CLIENT_ERROR", "IO_ERROR", "FRAMING_ERROR", "MEMORY_ALLOCATION_ERROR",
    ];

    public static readonly string[] DecoderErrors =
        ["lost sync", "bad header", "frame CRC mismatch", "unparseable stream", "bad metadata", "out of bounds"];

    public static string EncoderState(IntPtr encoder)
    {
        var state = EncoderGetState(encoder);
        return state >= 0 && state < EncoderStates.Length ? EncoderStates[state] : state.ToString();
    }
}
