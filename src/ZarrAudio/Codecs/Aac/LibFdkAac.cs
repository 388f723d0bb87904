using System.Runtime.InteropServices;
using ZarrAudio.Native;

namespace ZarrAudio.Codecs.Aac;

/// <summary>The parts of fdk-aac 2.x's C API that the AAC codec uses (aacenc_lib.h, aacdecoder_lib.h). INT_PCM is 16-bit.</summary>
internal static unsafe partial class LibFdkAac
{
    static LibFdkAac() => NativeLibraryResolver.Register();

    private const string Lib = NativeLibraryResolver.FdkAac;

    // Encoder parameters (AACENC_PARAM).
    public const int AacencAot = 0x0100, AacencBitrate = 0x0101, AacencBitrateMode = 0x0102, AacencSampleRate = 0x0103,
        AacencChannelMode = 0x0106, AacencChannelOrder = 0x0107, AacencAfterburner = 0x0200, AacencBandwidth = 0x0203,
        AacencTransmux = 0x0300, AacencSignalingMode = 0x0302;
    public const int AacencOk = 0, AacencEncodeEof = 0x80;
    public const int InAudioData = 0, OutBitstreamData = 3;
    // Decoder.
    public const int AacPcmLimiterEnable = 0x0004, AacTpdecClearBuffer = 0x0603;
    public const int AacdecIntr = 4, AacdecClrhist = 8;
    public const int TransportRaw = 0;
    public const int AacDecOk = 0, AacDecNotEnoughBits = 0x1002;

    [StructLayout(LayoutKind.Sequential)]
    public struct BufDesc
    {
        public int NumBufs;
        public void** Bufs;
        public int* BufferIdentifiers;
        public int* BufSizes;
        public int* BufElSizes;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct InArgs { public int NumInSamples; public int NumAncBytes; }

    [StructLayout(LayoutKind.Sequential)]
    public struct OutArgs { public int NumOutBytes; public int NumInSamples; public int NumAncBytes; public int BitResState; }

    [StructLayout(LayoutKind.Sequential)]
    public struct InfoStruct
    {
        public uint MaxOutBufBytes, MaxAncBytes, InBufFillLevel, InputChannels, FrameLength, NDelay, NDelayCore;
        public fixed byte ConfBuf[64];
        public uint ConfSize;
    }

    [LibraryImport(Lib, EntryPoint = "aacEncOpen")] public static partial int EncOpen(IntPtr* handle, uint encModules, uint maxChannels);
    [LibraryImport(Lib, EntryPoint = "aacEncClose")] public static partial int EncClose(IntPtr* handle);
    [LibraryImport(Lib, EntryPoint = "aacEncoder_SetParam")] public static partial int EncSetParam(IntPtr handle, int param, uint value);
    [LibraryImport(Lib, EntryPoint = "aacEncEncode")]
    public static partial int EncEncode(IntPtr handle, BufDesc* inBufs, BufDesc* outBufs, InArgs* inArgs, OutArgs* outArgs);
    [LibraryImport(Lib, EntryPoint = "aacEncInfo")] public static partial int EncInfo(IntPtr handle, InfoStruct* info);

    [LibraryImport(Lib, EntryPoint = "aacDecoder_Open")] public static partial IntPtr DecOpen(int transportFormat, uint layers);
    [LibraryImport(Lib, EntryPoint = "aacDecoder_Close")] public static partial void DecClose(IntPtr handle);
    [LibraryImport(Lib, EntryPoint = "aacDecoder_ConfigRaw")] public static partial int DecConfigRaw(IntPtr handle, byte** conf, uint* length);
    [LibraryImport(Lib, EntryPoint = "aacDecoder_SetParam")] public static partial int DecSetParam(IntPtr handle, int param, int value);
    [LibraryImport(Lib, EntryPoint = "aacDecoder_Fill")] public static partial int DecFill(IntPtr handle, byte** buffer, uint* size, uint* bytesValid);
    [LibraryImport(Lib, EntryPoint = "aacDecoder_DecodeFrame")] public static partial int DecDecodeFrame(IntPtr handle, short* output, int outputSize, uint flags);
}
