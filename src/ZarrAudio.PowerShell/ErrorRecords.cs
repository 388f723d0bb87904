using System.Management.Automation;
using ZarrAudio.Zarr;

namespace ZarrAudio.PowerShell;

/// <summary>Maps engine exceptions to ErrorRecords: a stable error id, the right category, the exception kept.</summary>
internal static class ErrorRecords
{
    /// <summary>
    /// The failures a cmdlet reports as error records: the engine's and the Zarr layer's typed exceptions, and what the
    /// file system says about paths the user gave. Anything else is a defect of ours and is not dressed up as one.
    /// </summary>
    public static bool IsExpected(Exception exception) =>
        Unwrap(exception) is ZarrAudioException or ZarrException or IOException or UnauthorizedAccessException or ItemNotFoundException;

    /// <summary>The one failure inside an AggregateException of one (what a Task's Wait throws), else the exception itself.</summary>
    private static Exception Unwrap(Exception exception) =>
        exception is AggregateException { InnerExceptions.Count: 1 } aggregate ? aggregate.InnerExceptions[0] : exception;

    public static ErrorRecord From(Exception exception, object? target)
    {
        exception = Unwrap(exception);
        var (id, category) = exception switch
        {
            RecordingNotFoundException => ("RecordingNotFound", ErrorCategory.ObjectNotFound),
            DuplicateRecordingException => ("DuplicateRecording", ErrorCategory.ResourceExists),
            SourceBeingImportedException => ("SourceBeingImported", ErrorCategory.ResourceBusy),
            SampleRangeException => ("SampleRangeOutOfBounds", ErrorCategory.InvalidArgument),
            UnsupportedSourceException => ("UnsupportedSource", ErrorCategory.InvalidData),
            SourceFormatChangedException => ("SourceFormatChanged", ErrorCategory.InvalidData),
            SourceChecksumException => ("SourceChecksumMismatch", ErrorCategory.InvalidData),
            InvalidSamplesException => ("InvalidSamples", ErrorCategory.InvalidArgument),
            Segments.SegmentSetNotFoundException => ("SegmentSetNotFound", ErrorCategory.ObjectNotFound),
            Segments.SegmentSetExistsException => ("SegmentSetExists", ErrorCategory.ResourceExists),
            Segments.SegmentSetNameException => ("InvalidSegmentSetName", ErrorCategory.InvalidArgument),
            Segments.InvalidSegmentException => ("InvalidSegment", ErrorCategory.InvalidData),
            Segments.SegmentStaleException => ("SegmentStale", ErrorCategory.InvalidData),
            Segments.LabelFiles.LabelFileException => ("InvalidLabelFile", ErrorCategory.InvalidData),
            Metadata.UnknownTimeZoneException => ("InvalidTimeZone", ErrorCategory.InvalidArgument),
            Training.InvalidTrainingOptionException => ("InvalidTrainingOption", ErrorCategory.InvalidArgument),
            Analysis.InvalidSpectrogramOptionException => ("InvalidSpectrogramOption", ErrorCategory.InvalidArgument),
            Analysis.Models.InvalidModelException => ("InvalidModel", ErrorCategory.InvalidArgument),
            Analysis.Models.ModelFailedException => ("ModelFailed", ErrorCategory.InvalidResult),
            Codecs.InvalidCodecOptionException => ("InvalidCodecOption", ErrorCategory.InvalidArgument),
            CorruptRecordingException => ("CorruptRecording", ErrorCategory.InvalidData),
            ArchiveNotMountedException => ("ArchiveNotMounted", ErrorCategory.InvalidOperation),
            ArchiveDismountedException => ("ArchiveDismounted", ErrorCategory.InvalidOperation),
            ArchiveBusyException or ZarrStoreLockedException => ("ArchiveBusy", ErrorCategory.ResourceBusy),
            InvalidMetadataException => ("InvalidUserMetadata", ErrorCategory.InvalidArgument),
            ArchiveFormatException => ("ArchiveNotFound", ErrorCategory.OpenError),
            CatalogDamagedException => ("CatalogDamaged", ErrorCategory.InvalidData),
            UnsafeStoreException => ("StoreWithoutExclusiveCreate", ErrorCategory.InvalidOperation),
            NativeLibraryMissingException => ("NativeLibraryMissing", ErrorCategory.NotInstalled),
            ExportTargetExistsException => ("ExportTargetExists", ErrorCategory.ResourceExists),
            UnsupportedExportFormatException => ("UnsupportedExportFormat", ErrorCategory.InvalidArgument),
            ExportFailedException => ("ExportFailed", ErrorCategory.WriteError),
            CodecException => ("CodecFailed", ErrorCategory.WriteError),
            ZarrAudio.Zarr.Stores.StoreAddressException => ("InvalidStoreAddress", ErrorCategory.InvalidArgument),
            ZarrStoreException { IsReadOnly: true } => ("ArchiveReadOnly", ErrorCategory.PermissionDenied),
            ZarrStoreException { Failure: StoreFailure.DiskFull } => ("DiskFull", ErrorCategory.ResourceUnavailable),
            ZarrStoreException { Failure: StoreFailure.ReadOnlyFileSystem } => ("FileSystemReadOnly", ErrorCategory.PermissionDenied),
            ZarrStoreException { Failure: StoreFailure.AccessDenied } => ("AccessDenied", ErrorCategory.PermissionDenied),
            ZarrStoreException { Failure: StoreFailure.NotAFolder } => ("PathIsFile", ErrorCategory.InvalidArgument),
            ZarrStoreException { Failure: StoreFailure.NotAFile } => ("PathIsFolder", ErrorCategory.InvalidArgument),
            ZarrStoreException { Failure: StoreFailure.NotFound } => ("StoreNotFound", ErrorCategory.ObjectNotFound),
            ZarrStoreException { Failure: StoreFailure.Unavailable } => ("StoreUnavailable", ErrorCategory.ConnectionError),
            ZarrStoreException => ("StoreFailed", ErrorCategory.WriteError),
            ZarrChecksumException or ZarrChunkSizeException => ("CorruptRecording", ErrorCategory.InvalidData),
            ZarrException => ("ZarrError", ErrorCategory.InvalidData),
            FileNotFoundException or DirectoryNotFoundException => ("PathNotFound", ErrorCategory.ObjectNotFound),
            ItemNotFoundException => ("PathNotFound", ErrorCategory.ObjectNotFound),
            UnauthorizedAccessException => ("AccessDenied", ErrorCategory.PermissionDenied),
            IOException => ("IOError", ErrorCategory.WriteError),
            OperationCanceledException => ("OperationStopped", ErrorCategory.OperationStopped),
            _ => ("UnexpectedError", ErrorCategory.NotSpecified),
        };
        return new ErrorRecord(exception, id, category, target);
    }
}
