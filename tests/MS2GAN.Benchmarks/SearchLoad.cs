using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;

namespace MS2GAN.Benchmarks;

/// <summary>
/// POST /v1/search from several clients at once for a fixed time: text feature queries for images
/// (encoded by the model on every request), k = 10. Latency per request, as the client sees it.
/// </summary>
public static class SearchLoad
{
    public sealed record Result(int Clients, int Requests, int Errors, int EmptyAnswers, double Seconds, double P50Ms, double P99Ms, double MaxMs)
    {
        public double QueriesPerSecond => Requests / Seconds;
    }

    public static async Task<Result> RunAsync(PipelineRun run, SyntheticCorpus corpus, int clients, TimeSpan duration)
    {
        var bodies = QueryBodies(corpus);

        for (var i = 0; i < 100; i++)
        {
            await SearchOnceAsync(run, bodies[i]);
        }

        var latencies = new List<double>[clients];
        var errors = 0;
        var empty = 0;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(client => Task.Run(async () =>
        {
            var mine = latencies[client] = [];
            var i = client * 97;
            while (watch.Elapsed < duration)
            {
                var start = Stopwatch.GetTimestamp();
                var (ok, hits) = await SearchOnceAsync(run, bodies[i++ % bodies.Length]);
                mine.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                if (!ok)
                {
                    Interlocked.Increment(ref errors);
                }
                else if (hits == 0)
                {
                    Interlocked.Increment(ref empty);
                }
            }
        })));
        var seconds = watch.Elapsed.TotalSeconds;
        var sorted = Percentiles.Sorted(latencies.SelectMany(l => l));
        return new Result(clients, sorted.Count, errors, empty, seconds,
            Percentiles.Of(sorted, 50), Percentiles.Of(sorted, 99), sorted[^1]);
    }

    /// <summary>The request bodies the clients cycle through: 1,000 text feature queries for images, k = 10.</summary>
    internal static byte[][] QueryBodies(SyntheticCorpus corpus) =>
        [.. Enumerable.Range(0, 1000).Select(i => Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new
        {
            query = new { features = corpus.Item(seed: 77, i).Text, modality = "text" },
            target = "image",
            k = 10,
        })))];

    /// <summary>One POST /v1/search: whether it answered 200 and how many hits it returned.</summary>
    internal static async Task<(bool Ok, int Hits)> SearchOnceAsync(PipelineRun run, byte[] body)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new("application/json");
        using var response = await run.Client.PostAsync("/v1/search", content);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            return (false, 0);
        }
        using var answer = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync());
        return (true, answer.RootElement.GetProperty("hits").GetArrayLength());
    }
}
