// A second process for the cross-process import test: imports every file given into the archive at args[0].
using ZarrAudio.Archive;

using var archive = await AudioArchive.MountAsync(args[0], "", create: false);
await Task.WhenAll(args[2..].Select(file => archive.ImportFileAsync(file, new ImportOptions { Force = true, UserMetadata = new Dictionary<string, object?> { ["worker"] = args[1] } })));
