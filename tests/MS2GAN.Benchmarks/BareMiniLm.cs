using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.Tokenizers;
using MS2GAN.Features.Backbones;
using MS2GAN.Features.Onnx;

namespace MS2GAN.Benchmarks;

/// <summary>
/// The peer of raw text encoding: the MiniLM session alone on the batches MiniLmBackbone makes of the same texts
/// (tokenized, longest first, padded to the longest of each batch), built beforehand.
/// </summary>
internal sealed class BareMiniLm : IDisposable
{
    private static readonly string[] Output = ["last_hidden_state"];

    private readonly OnnxSession _session;
    private readonly string[] _names;
    private readonly List<OrtValue[]> _batches;
    private readonly RunOptions _options = new();
    private readonly int _texts;

    public BareMiniLm(OnnxSessionFactory sessions, IReadOnlyList<string> texts, int batch)
    {
        var assembly = Path.Combine(BackboneFiles.DefaultDirectory, BackboneFiles.MiniLmAssembly);
        _session = sessions.Create(ManifestResourceReader.Read(assembly, MiniLmBackbone.ModelResource), "all-MiniLM-L6-v2");
        using var vocabulary = new MemoryStream(ManifestResourceReader.Read(assembly, MiniLmBackbone.VocabularyResource));
        var tokenizer = BertTokenizer.Create(vocabulary, new BertOptions { LowerCaseBeforeTokenization = true, RemoveNonSpacingMarks = true, IndividuallyTokenizeCjk = true });
        var lengths = texts.Select(t => Math.Min(tokenizer.EncodeToIds(t, MiniLmBackbone.DefaultMaxTokens - 2, addSpecialTokens: false, out _, out _).Count + 2, MiniLmBackbone.DefaultMaxTokens))
            .OrderDescending().ToArray();
        _texts = texts.Count;
        _names = [.. _session.Session.InputMetadata.Keys];
        _batches = [.. lengths.Chunk(batch).Select(chunk =>
        {
            long[] shape = [chunk.Length, chunk[0]];
            var ids = new long[chunk.Length * chunk[0]];
            var mask = new long[ids.Length];
            for (var r = 0; r < chunk.Length; r++)
            {
                for (var t = 0; t < chunk[r]; t++)
                {
                    ids[(r * chunk[0]) + t] = 1000 + t;
                    mask[(r * chunk[0]) + t] = 1;
                }
            }

            return _names.Select(name => OrtValue.CreateTensorValueFromMemory(name == "attention_mask" ? mask : name == "input_ids" ? ids : new long[ids.Length], shape)).ToArray();
        })];
        if (_batches.Count > 0)
        {
            _session.Session.Run(_options, _names, _batches[0], Output).Dispose();
        }
    }

    /// <summary>Texts per second over every batch.</summary>
    public double Rate()
    {
        var clock = Stopwatch.StartNew();
        foreach (var batch in _batches)
        {
            _session.Session.Run(_options, _names, batch, Output).Dispose();
        }
        return _texts / clock.Elapsed.TotalSeconds;
    }

    public void Dispose()
    {
        _batches.SelectMany(b => b).ToList().ForEach(v => v.Dispose());
        _options.Dispose();
        _session.Dispose();
    }
}
