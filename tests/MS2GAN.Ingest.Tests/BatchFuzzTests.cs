using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace MS2GAN.Ingest.Tests;

/// <summary>
/// Mutated NDJSON bodies (broken JSON, wrong types, odd numbers, invalid UTF-8, long lines, damaged images)
/// sent to POST /v1/items/batch: each is answered 200 with every line accepted or rejected with its reasons,
/// or with a 4xx ProblemDetails; never a 5xx, a dropped connection or a hang.
/// </summary>
public sealed class BatchFuzzTests(IngestApiFactory factory) : IClassFixture<IngestApiFactory>
{
    private const int Seed = 20261131;
    private const int Cases = 1000;

    private static readonly byte[] Png = TestImages.Png(8);

    [Fact]
    public async Task Mutated_batches_are_answered_line_by_line_or_with_a_4xx_problem()
    {
        var client = factory.Client;
        var (accepted, rejected) = (0, 0);
        await Fuzz.RunAsync("POST /v1/items/batch", Seed, Cases, Generate, async body =>
        {
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/x-ndjson");
            using var response = await client.PostAsync("/v1/items/batch", content);
            var text = await response.Content.ReadAsStringAsync();
            if (response.StatusCode == HttpStatusCode.OK)
            {
                var answer = JsonDocument.Parse(text).RootElement;
                AssertEachLineAnswered(answer);
                accepted += answer.GetProperty("accepted").GetArrayLength();
                rejected += answer.GetProperty("rejected").GetArrayLength();
            }
            else
            {
                ProblemAssert.IsClientError(response, text);
            }
        }, TimeSpan.FromSeconds(10));
        // The corpus must reach the store as well as the refusals.
        Assert.True(accepted > Cases / 10 && rejected > Cases / 10, $"{accepted} lines accepted, {rejected} rejected");
    }

    [Fact]
    public async Task An_unknown_property_with_an_empty_name_is_reported_under_body()
    {
        // Found by the fuzzer (a mutation that cut a property name to ""): the error was filed under the field name "".
        var response = await factory.Client.PostNdjsonAsync("/v1/items/batch", """{"imageFeatures":[0.5,1,-2,3e2],"":[1,2,3]}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var rejected = Assert.Single((await response.JsonAsync()).GetProperty("rejected").EnumerateArray());
        var field = Assert.Single(rejected.GetProperty("errors").EnumerateObject());
        Assert.Equal("body", field.Name);
        Assert.Contains("The JSON property ''", field.Value[0].GetString(), StringComparison.Ordinal);
    }

    private static byte[] Generate(Random random)
    {
        // Lines are kept as bytes: a detour through string would mend their invalid UTF-8.
        var lines = Enumerable.Range(0, 1 + random.Next(4)).Select(_ => Line(random));
        var body = lines.Aggregate((all, line) => [.. all, (byte)'\n', .. line]);
        // Now and then damage the body as a whole, across line breaks.
        return random.Next(4) == 0 ? Fuzz.Mutate(random, body, Fuzz.HostileTokens, maxLength: 32 << 10) : body;
    }

    private static byte[] Line(Random random)
    {
        var image = random.Next(3) == 0
            ? Fuzz.Mutate(random, Png, Fuzz.HostileTokens, maxLength: 4 << 10)
            : Png;
        string[] items =
        [
            """{"text":"a red square","labels":["square",3],"metadata":{"source":"fuzz"}}""",
            """{"imageFeatures":[0.5,1,-2,3e2],"textFeatures":[1,2,3],"labels":[1]}""",
            $$"""{"image":"{{Convert.ToBase64String(image)}}","text":"picture"}""",
            $$"""{"image":"data:image/png;base64,{{Convert.ToBase64String(image)}}"}""",
            """{"id":"fuzz-item","text":"same id each time","metadata":{"k":"v"}}""",
        ];
        var line = Encoding.UTF8.GetBytes(items[random.Next(items.Length)]);
        return random.Next(3) == 0 ? line : Fuzz.Mutate(random, line, Fuzz.HostileTokens, maxLength: 12 << 10);
    }

    private static void AssertEachLineAnswered(JsonElement body)
    {
        foreach (var accepted in body.GetProperty("accepted").EnumerateArray())
        {
            Assert.True(accepted.GetProperty("line").GetInt32() > 0);
            Assert.False(string.IsNullOrEmpty(accepted.GetProperty("id").GetString()));
        }
        foreach (var rejected in body.GetProperty("rejected").EnumerateArray())
        {
            Assert.True(rejected.GetProperty("line").GetInt32() > 0);
            Assert.False(string.IsNullOrWhiteSpace(rejected.GetProperty("reason").GetString()), $"no reason: {rejected}");
            ProblemAssert.NamesFieldsWithMessages(rejected.GetProperty("errors"));
        }
    }
}
