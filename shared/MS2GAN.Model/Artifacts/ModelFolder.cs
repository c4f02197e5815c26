using System.Security.Cryptography;
using System.Text.Json;
using MS2GAN.Features.Data;

namespace MS2GAN.Model.Artifacts;

/// <summary>
/// Writes and reads model folders. A model is written into a temporary sibling folder and renamed into
/// place only when every file is there, so a crash never leaves half a model; loading checks that every
/// file the manifest names exists with the recorded size and hash.
/// </summary>
public static class ModelFolder
{
    /// <summary>
    /// Creates <paramref name="directory"/> atomically: <paramref name="writeFiles"/> fills a temporary folder
    /// and returns the manifest (without files), the folder's file hashes are added, the manifest written,
    /// then the folder renamed into place. An existing folder is replaced only when <paramref name="overwrite"/>.
    /// </summary>
    public static ModelManifest Write(string directory, bool overwrite, Func<string, ModelManifest> writeFiles)
    {
        var target = Path.GetFullPath(directory);
        if (Directory.Exists(target) && !overwrite && Directory.EnumerateFileSystemEntries(target).Any())
        {
            throw new IOException($"{target}: already exists (use --force to replace it)");
        }
        var parent = Path.GetDirectoryName(target)!;
        Directory.CreateDirectory(parent);
        var temp = Path.Combine(parent, $".{Path.GetFileName(target)}.tmp-{Guid.NewGuid():N}");
        Directory.CreateDirectory(temp);
        try
        {
            var manifest = writeFiles(temp);
            var files = new Dictionary<string, ModelFile>();
            foreach (var (role, name) in ModelRoles.FileNames)
            {
                var path = Path.Combine(temp, name);
                if (File.Exists(path))
                {
                    files[role] = Describe(path, name);
                }
            }
            manifest = manifest with { Files = files };
            File.WriteAllText(Path.Combine(temp, ModelManifest.FileName), manifest.ToJson());
            if (Directory.Exists(target))
            {
                var old = Path.Combine(parent, $".{Path.GetFileName(target)}.old-{Guid.NewGuid():N}");
                Directory.Move(target, old);
                Directory.Move(temp, target);
                Directory.Delete(old, recursive: true);
            }
            else
            {
                Directory.Move(temp, target);
            }
            return manifest;
        }
        catch
        {
            if (Directory.Exists(temp))
            {
                Directory.Delete(temp, recursive: true);
            }
            throw;
        }
    }

    /// <summary>Reads and checks a model folder's manifest and files.</summary>
    /// <exception cref="DataFormatException">The folder, the manifest or one of its files is missing or damaged.</exception>
    public static ModelManifest Read(string directory)
    {
        var root = Path.GetFullPath(directory);
        if (!Directory.Exists(root))
        {
            throw new DataFormatException(root, "model folder not found");
        }
        var manifestPath = Path.Combine(root, ModelManifest.FileName);
        if (!File.Exists(manifestPath))
        {
            throw new DataFormatException(manifestPath, "the model folder has no manifest");
        }
        ModelManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<ModelManifest>(File.ReadAllText(manifestPath), ModelManifest.JsonOptions);
        }
        catch (JsonException ex)
        {
            throw new DataFormatException(manifestPath, $"not a valid manifest ({ex.Message})");
        }
        if (manifest is null)
        {
            throw new DataFormatException(manifestPath, "the manifest is empty");
        }
        if (manifest.FormatVersion != 1)
        {
            throw new DataFormatException(manifestPath, $"manifest format {manifest.FormatVersion} is not supported (expected 1)");
        }
        foreach (var role in new[] { ModelRoles.ImageEncoder, ModelRoles.TextEncoder })
        {
            if (!manifest.Files.ContainsKey(role))
            {
                throw new DataFormatException(manifestPath, $"the manifest names no {role} file");
            }
        }
        foreach (var (role, file) in manifest.Files)
        {
            var path = Path.Combine(root, file.Path);
            if (!File.Exists(path))
            {
                throw new DataFormatException(path, $"the model's {role} file is missing");
            }
            var actual = Describe(path, file.Path);
            if (actual.Bytes != file.Bytes || actual.Sha256 != file.Sha256)
            {
                throw new DataFormatException(path, $"the model's {role} file is damaged (its size or SHA-256 differs from the manifest)");
            }
        }
        return manifest;
    }

    /// <summary>Path of a file of a model folder by role.</summary>
    public static string PathOf(string directory, ModelManifest manifest, string role) =>
        Path.Combine(Path.GetFullPath(directory), manifest.Files[role].Path);

    private static ModelFile Describe(string path, string name)
    {
        using var stream = File.OpenRead(path);
        var hash = Convert.ToHexStringLower(SHA256.HashData(stream));
        return new ModelFile(name, new FileInfo(path).Length, hash);
    }
}
