using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using MS2GAN.Features.Data;

namespace MS2GAN.Features.Backbones;

/// <summary>
/// Reads embedded manifest resources straight from an assembly file with System.Reflection.Metadata:
/// the assembly is never loaded, so nothing it references (e.g. the CPU build of ONNX Runtime) is either.
/// </summary>
public static class ManifestResourceReader
{
    /// <summary>The bytes of one embedded resource of the assembly at <paramref name="assemblyPath"/>.</summary>
    /// <exception cref="FileNotFoundException">The assembly file is missing.</exception>
    /// <exception cref="DataFormatException">The file is not a .NET assembly or lacks the resource.</exception>
    public static byte[] Read(string assemblyPath, string resourceName)
    {
        if (!File.Exists(assemblyPath))
        {
            throw new FileNotFoundException($"backbone assembly not found: {assemblyPath}", assemblyPath);
        }
        using var stream = File.OpenRead(assemblyPath);
        using var pe = new PEReader(stream);
        try
        {
            if (!pe.HasMetadata || pe.PEHeaders.CorHeader is not { } corHeader)
            {
                throw new DataFormatException(assemblyPath, "not a .NET assembly");
            }
            var metadata = pe.GetMetadataReader();
            foreach (var handle in metadata.ManifestResources)
            {
                var resource = metadata.GetManifestResource(handle);
                if (!metadata.StringComparer.Equals(resource.Name, resourceName))
                {
                    continue;
                }
                if (!resource.Implementation.IsNil)
                {
                    throw new DataFormatException(assemblyPath, $"resource '{resourceName}' is not embedded in this file");
                }
                // Embedded resources sit in the CLI resources directory, each as a 4-byte length and the bytes.
                var section = pe.GetSectionData(corHeader.ResourcesDirectory.RelativeVirtualAddress);
                var offset = checked((int)resource.Offset);
                if (section.Length < corHeader.ResourcesDirectory.Size || offset > corHeader.ResourcesDirectory.Size - sizeof(int))
                {
                    throw new DataFormatException(assemblyPath, $"resource '{resourceName}' lies outside the resources directory");
                }
                var reader = section.GetReader(offset, corHeader.ResourcesDirectory.Size - offset);
                var length = reader.ReadInt32();
                if (length < 0 || length > reader.RemainingBytes)
                {
                    throw new DataFormatException(assemblyPath, $"resource '{resourceName}' claims {length} bytes, more than the file holds");
                }
                return reader.ReadBytes(length);
            }
        }
        catch (BadImageFormatException ex)
        {
            throw new DataFormatException(assemblyPath, $"not a valid .NET assembly: {ex.Message}");
        }
        throw new DataFormatException(assemblyPath, $"no embedded resource named '{resourceName}'");
    }
}
