using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using MS2GAN.Model.Inference;
using MS2GAN.Storage.Vectors;
using Xunit.Abstractions;

namespace MS2GAN.Integration.Tests;

/// <summary>
/// A retrain over the real RabbitMQ while items stream in and searches run: the new version's index ends up with every
/// item exactly once, and no search fails, comes back empty or mixes versions.
/// </summary>
[Collection(RabbitMqCollection.Name)]
public sealed class RetrainOverRabbitMqTests(FeatureModelFixture model, ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);
    private static readonly Dictionary<string, string> Before = new() { ["batch"] = "before" };

    [RabbitMqFact]
    public async Task Retraining_during_continuous_ingest_swaps_without_a_failed_empty_or_mixed_answer()
    {
        var broker = RabbitMqBroker.FromEnvironment();
        await using var virtualHost = await broker.CreateVirtualHostAsync("retrain");
        // The candidate trains on 80% of the items the tiny model was not trained on; the gate's tolerance is wide because
        // this test is about the swap, not the gate (the trainer tests check the gate).
        await using var host = await PipelineHost.StartAsync(model.ModelDirectory, broker, virtualHost.Name,
            new Dictionary<string, string> { ["Lifecycle:Tolerance"] = "0.2", ["Lifecycle:ReindexBatchSize"] = "50" });
        var before = FeatureModelFixture.Items("before", 400);
        await host.IngestAsync(before, Before);
        await host.WaitUntilIndexedAsync([.. before.Select(i => i.Id)], Timeout);
        var queries = FeatureModelFixture.Items("query", 4);
        var v1Answers = await AnswersAsync(host, queries);
        var v1 = v1Answers[0].Version;

        using var stop = new CancellationTokenSource();
        var ingested = new ConcurrentQueue<string>();
        var ingest = Task.Run(async () =>
        {
            for (var round = 0; !stop.IsCancellationRequested; round++)
            {
                var batch = FeatureModelFixture.Items($"during{round:D3}", 20);
                await host.IngestAsync(batch);
                foreach (var item in batch)
                {
                    ingested.Enqueue(item.Id);
                }
                await Task.Delay(50);
            }
        });
        var answers = new ConcurrentBag<(string Version, string Answer)>();
        var problems = new ConcurrentQueue<string>();
        var search = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    foreach (var answer in await AnswersAsync(host, queries))
                    {
                        answers.Add(answer);
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    problems.Enqueue(ex.Message);
                }
            }
        });

        await Task.Delay(500);
        var started = Stopwatch.StartNew();
        // As small as the model it replaces: a retrain starts from the project's defaults, which train a full-size model.
        using var config = JsonDocument.Parse(SyntheticClusters.TinyConfigJson(10));
        using var sent = await host.Client.PostAsJsonAsync("/v1/admin/retrain", new { requestedBy = "integration-test", config = config.RootElement });
        Assert.Equal(HttpStatusCode.Accepted, sent.StatusCode);
        var requestId = (await sent.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("requestId").GetString();
        var outcome = await WaitForOutcomeAsync(host, requestId!);
        output.WriteLine($"retrain {outcome.GetProperty("result")} after {started.Elapsed.TotalSeconds:F1} s: {outcome}");
        Assert.Equal("promoted", outcome.GetProperty("result").GetString());
        var v2 = outcome.GetProperty("version").GetString()!;

        // Keep ingesting and searching on the new version for a moment, then stop and let the pipeline drain.
        await Task.Delay(1000);
        await stop.CancelAsync();
        await Task.WhenAll(ingest, search);
        var after = FeatureModelFixture.Items("after", 40);
        await host.IngestAsync(after);
        var all = before.Select(i => i.Id).Concat(ingested).Concat(after.Select(i => i.Id)).ToList();
        await host.WaitUntilIndexedAsync(all, Timeout);

        Assert.True(problems.IsEmpty, $"{problems.Count} searches failed, e.g. {problems.FirstOrDefault()}");
        var v2Answers = await AnswersAsync(host, queries);
        Assert.All(v2Answers, a => Assert.Equal(v2, a.Version));
        output.WriteLine($"{answers.Count} answers during the retrain ({answers.Count(a => a.Version == v1)} from {v1}, " +
                         $"{answers.Count(a => a.Version == v2)} from {v2}); {ingested.Count} items ingested meanwhile");
        Assert.Contains(answers, a => a.Version == v1);
        Assert.Contains(answers, a => a.Version == v2);
        foreach (var (version, answer) in answers)
        {
            // Every answer is exactly one version's answer: the filter keeps to the items that existed before the retrain.
            var expected = version == v1 ? v1Answers : version == v2 ? v2Answers : throw new Xunit.Sdk.XunitException($"answer from unknown version {version}");
            Assert.Contains((version, answer), expected);
        }

        // The new version's index holds every item exactly once, in both modalities.
        var vectors = host.Services.GetRequiredService<IVectorStore>();
        var manifest = host.Services.GetRequiredService<ModelCatalog>().Get(v2).Model.Manifest;
        Assert.Equal(2L * all.Count, await vectors.CountAsync(ServedModel.IndexNameFor(v2)));
        // The records themselves, when they fit in one result window (a long retrain lets the ingest run past it).
        if (2 * all.Count + 10 <= VectorQuery.MaxResultWindow)
        {
            var hits = await vectors.SearchAsync(ServedModel.IndexNameFor(v2), new VectorQuery(
                Enumerable.Repeat(1f, manifest.SpecificDim).ToArray(), Enumerable.Repeat(1f, manifest.SharedDim).ToArray(), 0.5, 0.5, "any", 2 * all.Count + 10));
            Assert.Equal(
                all.SelectMany(id => new[] { $"{id}/image", $"{id}/text" }).Order(StringComparer.Ordinal),
                hits.Select(h => $"{h.ItemId}/{h.Modality}").Order(StringComparer.Ordinal));
        }
        Assert.Equal(ServedModel.IndexNameFor(v2), await vectors.GetAliasAsync(ModelCatalog.Alias));
    }

    // Text-to-image and image-to-text for each query over the items that existed before the retrain; one string per answer.
    private static async Task<List<(string Version, string Answer)>> AnswersAsync(PipelineHost host, IReadOnlyList<FeatureItem> queries)
    {
        var answers = new List<(string, string)>();
        foreach (var query in queries)
        {
            foreach (var (features, modality, target) in new[] { (query.TextFeatures, "text", "image"), (query.ImageFeatures, "image", "text") })
            {
                using var response = await host.Client.PostAsJsonAsync("/v1/search", new
                {
                    query = new { features, modality },
                    target,
                    k = 10,
                    filter = new { metadata = Before },
                });
                var text = await response.Content.ReadAsStringAsync();
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    throw new InvalidOperationException($"POST /v1/search: {(int)response.StatusCode} {text}");
                }
                var body = JsonDocument.Parse(text).RootElement;
                var hits = body.GetProperty("hits").EnumerateArray().Select(h => $"{h.GetProperty("id")}/{h.GetProperty("modality")}/{h.GetProperty("score")}").ToList();
                if (hits.Count == 0)
                {
                    throw new InvalidOperationException($"an empty answer: {text}");
                }
                answers.Add((body.GetProperty("modelVersion").GetString()!, string.Join(" ", hits)));
            }
        }
        return answers;
    }

    private static async Task<JsonElement> WaitForOutcomeAsync(PipelineHost host, string requestId)
    {
        JsonElement? found = null;
        await Poll.UntilAsync(
            async () =>
            {
                var status = await host.Client.GetFromJsonAsync<JsonElement>("/v1/admin/status");
                found = status.GetProperty("outcomes").EnumerateArray()
                    .Select(o => (JsonElement?)o)
                    .FirstOrDefault(o => o!.Value.GetProperty("requestId").GetString() == requestId);
                return found is not null;
            },
            Timeout,
            async () =>
            {
                var status = await host.Client.GetStringAsync("/v1/admin/status");
                return $"no outcome for request {requestId} yet: {(status.Length > 2000 ? status[..2000] : status)}";
            });
        return found!.Value;
    }
}
