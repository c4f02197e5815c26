using System.Net;
using System.Text;
using System.Text.Json;
using MS2GAN.Contracts;

namespace MS2GAN.Ingest.Tests;

public sealed class BatchTests(IngestApiFactory factory) : IClassFixture<IngestApiFactory>
{
    [Fact]
    public async Task Accepts_the_good_lines_and_reports_each_bad_line()
    {
        var prefix = "b-" + Guid.NewGuid().ToString("N")[..8] + "-";
        var png = Convert.ToBase64String(TestImages.Png());
        var lines = new List<string>();
        for (var i = 0; i < 10; i++)
        {
            lines.Add($$"""{"id":"{{prefix}}{{i}}","text":"item {{i}}","labels":[{{i % 3}}]}""");
        }
        lines.Insert(2, "{ not json");                                                 // line 3
        lines.Insert(5, $$"""{"id":"{{prefix}}nan","imageFeatures":[1,"NaN",3,4]}"""); // line 6
        lines.Insert(7, "");                                                           // line 8: blank, skipped
        lines.Add($$"""{"id":"{{prefix}}img","image":"{{png}}"}""");                    // line 14
        lines.Add($$"""{"id":"../{{prefix}}","text":"bad id"}""");                      // line 15

        var response = await factory.Client.PostNdjsonAsync("/v1/items/batch", string.Join("\r\n", lines) + "\n");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.JsonAsync();
        var accepted = body.GetProperty("accepted").EnumerateArray().ToList();
        var rejected = body.GetProperty("rejected").EnumerateArray().ToList();
        Assert.Equal(11, accepted.Count);
        Assert.Equal([3, 6, 15], rejected.Select(line => line.GetProperty("line").GetInt32()));
        Assert.Contains("imageFeatures", rejected[1].GetProperty("reason").GetString());
        Assert.True(rejected[2].GetProperty("errors").TryGetProperty("id", out _));
        Assert.All(accepted, line => Assert.Equal("created", line.GetProperty("outcome").GetString()));
        Assert.Equal(14, accepted[^1].GetProperty("line").GetInt32());

        for (var i = 0; i < 10; i++)
        {
            Assert.NotNull(await factory.Items.GetAsync($"{prefix}{i}"));
        }
        Assert.NotNull((await factory.Items.GetAsync($"{prefix}img"))!.ImageMediaRef);
        Assert.Null(await factory.Items.GetAsync($"{prefix}nan"));
        Assert.Equal(11, factory.Published.Ingested(m => m.ItemId.StartsWith(prefix, StringComparison.Ordinal)).Count);
    }

    [Fact]
    public async Task Each_recorded_chunk_is_announced_in_one_ItemsIngested_message()
    {
        // The factory records chunks of 7 lines: 16 items make chunks of 7, 7 and 2.
        var prefix = "c-" + Guid.NewGuid().ToString("N")[..8] + "-";
        var ndjson = string.Join("\n", Enumerable.Range(0, 16).Select(i => $$"""{"id":"{{prefix}}{{i}}","textFeatures":[{{i}},1,2]}"""));

        var response = await factory.Client.PostNdjsonAsync("/v1/items/batch", ndjson);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var chunks = factory.Published.Of<ItemsIngested>(m => m.Items.Any(item => item.ItemId.StartsWith(prefix, StringComparison.Ordinal)));
        Assert.Equal([7, 7, 2], chunks.Select(chunk => chunk.Items.Count));
        Assert.Equal(Enumerable.Range(0, 16).Select(i => $"{prefix}{i}"), chunks.SelectMany(chunk => chunk.Items).Select(item => item.ItemId));
    }

    [Fact]
    public async Task Re_sending_an_indexed_batch_is_unchanged_and_publishes_nothing_more()
    {
        var prefix = "r-" + Guid.NewGuid().ToString("N")[..8] + "-";
        var ndjson = string.Join("\n", Enumerable.Range(0, 9).Select(i => $$"""{"id":"{{prefix}}{{i}}","textFeatures":[{{i}},1,2]}"""));

        await factory.Client.PostNdjsonAsync("/v1/items/batch", ndjson);
        await factory.Items.MarkIndexedAsync(Enumerable.Range(0, 9).Select(i => $"{prefix}{i}").ToList(), "v-test");
        var again = await (await factory.Client.PostNdjsonAsync("/v1/items/batch", ndjson)).JsonAsync();

        Assert.All(again.GetProperty("accepted").EnumerateArray(), line => Assert.Equal("unchanged", line.GetProperty("outcome").GetString()));
        Assert.Equal(9, factory.Published.Ingested(m => m.ItemId.StartsWith(prefix, StringComparison.Ordinal)).Count);
    }

    [Fact]
    public async Task A_batch_over_the_line_limit_answers_413_and_stores_nothing_past_the_limit()
    {
        var prefix = "l-" + Guid.NewGuid().ToString("N")[..8] + "-";
        var count = IngestApiFactory.MaxBatchLines + 5;
        var ndjson = string.Join("\n", Enumerable.Range(1, count).Select(i => $$"""{"id":"{{prefix}}{{i}}","text":"line {{i}}"}"""));

        var response = await factory.Client.PostNdjsonAsync("/v1/items/batch", ndjson);

        var problem = await response.ProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal(IngestApiFactory.MaxBatchLines + 1, problem.GetProperty("stoppedAtLine").GetInt32());
        Assert.Equal(IngestApiFactory.MaxBatchLines, problem.GetProperty("accepted").GetArrayLength());
        Assert.True(problem.GetProperty("errors").TryGetProperty("body", out _));
        Assert.NotNull(await factory.Items.GetAsync($"{prefix}{IngestApiFactory.MaxBatchLines}"));
        for (var i = IngestApiFactory.MaxBatchLines + 1; i <= count; i++)
        {
            Assert.Null(await factory.Items.GetAsync($"{prefix}{i}"));
        }
        Assert.Equal(IngestApiFactory.MaxBatchLines,
            factory.Published.Ingested(m => m.ItemId.StartsWith(prefix, StringComparison.Ordinal)).Count);
    }

    [Fact]
    public async Task A_line_over_the_size_limit_is_rejected_unread_and_the_next_line_still_counts()
    {
        var prefix = "s-" + Guid.NewGuid().ToString("N")[..8] + "-";
        var ndjson = new StringBuilder()
            .Append($$"""{"id":"{{prefix}}big","text":"{{new string('x', IngestApiFactory.MaxRequestBytes + 10)}}"}""").Append('\n')
            .Append($$"""{"id":"{{prefix}}ok","text":"fine"}""").Append('\n')
            .ToString();

        var body = await (await factory.Client.PostNdjsonAsync("/v1/items/batch", ndjson)).JsonAsync();

        var rejected = Assert.Single(body.GetProperty("rejected").EnumerateArray());
        Assert.Equal(1, rejected.GetProperty("line").GetInt32());
        Assert.True(rejected.GetProperty("errors").TryGetProperty("line", out _));
        var accepted = Assert.Single(body.GetProperty("accepted").EnumerateArray());
        Assert.Equal(2, accepted.GetProperty("line").GetInt32());
        Assert.Null(await factory.Items.GetAsync($"{prefix}big"));
    }

    [Fact]
    public async Task Refuses_a_batch_that_is_not_ndjson_with_415()
    {
        var response = await factory.Client.PostJsonAsync("/v1/items/batch", """{"text":"x"}""");

        var problem = await response.ProblemAsync(HttpStatusCode.UnsupportedMediaType);
        Assert.Contains("POST /v1/items/batch does not accept the Content-Type 'application/json", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_service_ingests_a_batch_without_http()
    {
        using var scope = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.CreateScope(factory.Services);
        var service = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<IngestService>(scope.ServiceProvider);
        var prefix = "d-" + Guid.NewGuid().ToString("N")[..8] + "-";
        using var body = new MemoryStream(Encoding.UTF8.GetBytes(
            $$"""{"id":"{{prefix}}1","text":"one"}""" + "\n" + """{"text":""" + "\n" + $$"""{"id":"{{prefix}}3","text":"three"}"""));

        var result = await service.IngestBatchAsync(new TrickleStream(body, 7));

        Assert.Equal([1, 3], result.Accepted.Select(line => line.Line));
        Assert.Equal(2, Assert.Single(result.Rejected).Line);
        Assert.Null(result.StoppedAtLine);
        Assert.DoesNotContain("stoppedAtLine", JsonSerializer.Serialize(result, JsonSerializerOptions.Web));
    }

    [Fact]
    public async Task An_overlong_line_split_across_many_reads_is_skipped_to_its_newline()
    {
        using var scope = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.CreateScope(factory.Services);
        var service = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<IngestService>(scope.ServiceProvider);
        var prefix = "o-" + Guid.NewGuid().ToString("N")[..8] + "-";
        var ndjson = $$"""{"id":"{{prefix}}1","text":"one"}""" + "\n"
            + $$"""{"id":"{{prefix}}2","text":"{{new string('x', IngestApiFactory.MaxRequestBytes * 2)}}"}""" + "\n"
            + "\n"
            + $$"""{"id":"{{prefix}}4","text":"four"}""";
        using var body = new MemoryStream(Encoding.UTF8.GetBytes(ndjson));

        var result = await service.IngestBatchAsync(new TrickleStream(body, 4096));

        Assert.Equal([1, 4], result.Accepted.Select(line => line.Line));
        Assert.Equal(2, Assert.Single(result.Rejected).Line);
        Assert.Null(await factory.Items.GetAsync($"{prefix}2"));
    }
}
