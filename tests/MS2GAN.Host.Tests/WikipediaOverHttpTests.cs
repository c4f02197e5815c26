using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MS2GAN.Features.Data;
using MS2GAN.Host.Tests.Support;
using MS2GAN.Model.Evaluation;
using Xunit.Abstractions;

namespace MS2GAN.Host.Tests;

/// <summary>
/// Quality is not lost on the way: the Wikipedia test split ingested and queried over HTTP through `ms2gan serve`
/// gives the mAP that the offline `evaluate` of the same model reports.
/// </summary>
public sealed class WikipediaOverHttpTests(ITestOutputHelper output)
{
    // The same figures from two paths: only float rounding in the JSON round trip and the stores may differ.
    private const double Tolerance = 0.01;

    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan IndexedTimeout = TimeSpan.FromMinutes(2);

    [WikipediaDataFact]
    public async Task Search_over_http_gives_the_offline_evaluate_map_in_both_directions()
    {
        var stopwatch = Stopwatch.StartNew();
        using var folder = new TempFolder();
        var model = folder.Combine("model");
        var data = WikipediaDataFactAttribute.RequiredFolder;

        // 30 epochs instead of the default to keep the test short: the comparison holds for any model.
        // Early stopping and the refit of the defaults take minutes on a busy 2-core machine.
        var trained = Ms2GanCli.Run(TimeSpan.FromMinutes(20), "train", "--data", data, "--out", model, "--epochs", "30");
        Assert.True(trained.ExitCode == 0, trained.ToString());
        var evaluated = Ms2GanCli.Run("evaluate", "--model", model, "--data", data, "--json");
        Assert.True(evaluated.ExitCode == 0, evaluated.ToString());
        double offlineI2T, offlineT2I;
        using (var json = JsonDocument.Parse(evaluated.StandardOutput))
        {
            offlineI2T = json.RootElement.GetProperty("i2t").GetDouble();
            offlineT2I = json.RootElement.GetProperty("t2i").GetDouble();
        }
        output.WriteLine($"offline evaluate: i2t {offlineI2T:F4}, t2i {offlineT2I:F4} ({stopwatch.Elapsed.TotalSeconds:F1} s after start)");

        var test = FeatureDatasetLoader.LoadSplit(data, "test");
        var ids = Enumerable.Range(0, test.Labels.Length).Select(i => $"wiki-test-{i:D4}").ToArray();

        using var serve = ServeProcess.Start("--model", model, "--data-dir", folder.Combine("serve"));
        await WaitUntilReadyAsync(serve);
        output.WriteLine($"serving on {serve.Url} ({stopwatch.Elapsed.TotalSeconds:F1} s)");

        await IngestAsync(serve, test, ids);
        await WaitUntilIndexedAsync(serve, ids);
        output.WriteLine($"{ids.Length} items indexed ({stopwatch.Elapsed.TotalSeconds:F1} s)");

        var httpI2T = await MeanAveragePrecisionOverHttpAsync(serve, test.Image, "image", "text", test.Labels, ids);
        var httpT2I = await MeanAveragePrecisionOverHttpAsync(serve, test.Text, "text", "image", test.Labels, ids);
        output.WriteLine($"over HTTP:        i2t {httpI2T:F4}, t2i {httpT2I:F4} ({stopwatch.Elapsed.TotalSeconds:F1} s)");
        output.WriteLine($"differences:      i2t {httpI2T - offlineI2T:F6}, t2i {httpT2I - offlineT2I:F6} (allowed {Tolerance})");

        Assert.True(Math.Abs(httpI2T - offlineI2T) <= Tolerance, $"image->text mAP over HTTP {httpI2T:F4}, offline {offlineI2T:F4}");
        Assert.True(Math.Abs(httpT2I - offlineT2I) <= Tolerance, $"text->image mAP over HTTP {httpT2I:F4}, offline {offlineT2I:F4}");
    }

    private static async Task WaitUntilReadyAsync(ServeProcess serve)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var ready = await serve.Client.GetAsync("/health/ready");
                if (ready.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            if (waited.Elapsed > ReadyTimeout)
            {
                throw new TimeoutException($"ms2gan serve was not ready within {ReadyTimeout}\n{serve.StandardError}\n{serve.StandardOutput}");
            }
            await Task.Delay(250);
        }
    }

    private static async Task IngestAsync(ServeProcess serve, FeatureSplit test, string[] ids)
    {
        var body = new StringBuilder();
        for (var i = 0; i < ids.Length; i++)
        {
            body.AppendLine(JsonSerializer.Serialize(new
            {
                id = ids[i],
                imageFeatures = Row(test.Image, i),
                textFeatures = Row(test.Text, i),
                labels = new[] { test.Labels[i].ToString(CultureInfo.InvariantCulture) },
            }));
        }
        using var content = new StringContent(body.ToString(), Encoding.UTF8, "application/x-ndjson");
        using var response = await serve.Client.PostAsync("/v1/items/batch", content);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}");
        using var result = JsonDocument.Parse(text);
        Assert.Equal(0, result.RootElement.GetProperty("rejected").GetArrayLength());
        Assert.Equal(ids.Length, result.RootElement.GetProperty("accepted").GetArrayLength());
    }

    private static async Task WaitUntilIndexedAsync(ServeProcess serve, string[] ids)
    {
        var waited = Stopwatch.StartNew();
        var pending = new List<string>(ids);
        while (pending.Count > 0)
        {
            var stillPending = new List<string>();
            foreach (var id in pending)
            {
                using var item = JsonDocument.Parse(await serve.Client.GetStringAsync($"/v1/items/{id}"));
                var state = item.RootElement.GetProperty("state").GetString();
                Assert.True(state != "failed", $"{id} failed: {item.RootElement}");
                if (state != "indexed")
                {
                    stillPending.Add(id);
                    // Ask no further this round: the items after it are checked again on the next one.
                    stillPending.AddRange(pending.SkipWhile(p => p != id).Skip(1));
                    break;
                }
            }
            pending = stillPending;
            if (pending.Count > 0)
            {
                Assert.True(waited.Elapsed < IndexedTimeout, $"{pending.Count} of {ids.Length} items not indexed within {IndexedTimeout}");
                await Task.Delay(250);
            }
        }
    }

    /// <summary>
    /// Queries every item's <paramref name="queryModality"/> features against all items of <paramref name="target"/>,
    /// rebuilds the score matrix from the answers and computes mAP with the offline code path.
    /// </summary>
    private static async Task<double> MeanAveragePrecisionOverHttpAsync(
        ServeProcess serve, FeatureMatrix queries, string queryModality, string target, int[] labels, string[] ids)
    {
        var n = ids.Length;
        var index = ids.Select((id, i) => (id, i)).ToDictionary(p => p.id, p => p.i);
        var scores = new float[n * n];
        await Parallel.ForEachAsync(Enumerable.Range(0, n), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (q, cancellation) =>
        {
            using var response = await serve.Client.PostAsJsonAsync("/v1/search", new
            {
                query = new { features = Row(queries, q), modality = queryModality },
                target,
                k = n,
            }, cancellation);
            var text = await response.Content.ReadAsStringAsync(cancellation);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"query {ids[q]}: {(int)response.StatusCode} {text}");
            using var answer = JsonDocument.Parse(text);
            var hits = answer.RootElement.GetProperty("hits");
            Assert.Equal(n, hits.GetArrayLength());
            foreach (var hit in hits.EnumerateArray())
            {
                Assert.Equal(target, hit.GetProperty("modality").GetString());
                scores[q * n + index[hit.GetProperty("id").GetString()!]] = (float)hit.GetProperty("score").GetDouble();
            }
        });
        return MeanAveragePrecision.FromScores(scores, n, n, labels, labels);
    }

    private static float[] Row(FeatureMatrix matrix, int row) => matrix.Values.AsSpan(row * matrix.Columns, matrix.Columns).ToArray();
}
