using System.Collections;

namespace MS2GAN.Features.Demo;

/// <summary>The contents of files, read when an element is asked for rather than all at once.</summary>
internal sealed class LazyFileList(IReadOnlyList<string> paths) : IReadOnlyList<byte[]>
{
    public int Count => paths.Count;

    public byte[] this[int index] => File.ReadAllBytes(paths[index]);

    public IEnumerator<byte[]> GetEnumerator() => paths.Select(File.ReadAllBytes).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
