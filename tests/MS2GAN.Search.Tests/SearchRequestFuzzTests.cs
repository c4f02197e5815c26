using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using MS2GAN.ServiceDefaults;

namespace MS2GAN.Search.Tests;

/// <summary>
/// Mutated search requests (JSON and multipart, with odd content types) sent to POST /v1/search on the search
/// endpoints with the service defaults over the indexed corpus: each is answered 200 with hits or with a 4xx
/// ProblemDetails naming the field or the problem; never a 5xx, a dropped connection or a hang.
/// </summary>
public sealed class SearchRequestFuzzTests(IndexedCorpusFixture corpus) : IClassFixture<IndexedCorpusFixture>, IAsyncLifetime
{
    private const int Seed = 20261201;
    private const int Cases = 1500;
    private const string Boundary = "fuzz-boundary";

    private static readonly string[] ContentTypes =
    [
        "application/json", "application/json; charset=utf-8", $"multipart/form-data; boundary={Boundary}",
        "text/plain", "application/x-www-form-urlencoded", "multipart/form-data", "application/json; charset=utf-16",
    ];

    private WebApplication _app = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.WebHost.UseTestServer();
        builder.Configuration["Serilog:MinimumLevel:Default"] = "Fatal";
        builder.Configuration["ApiKeys:Key"] = "fuzz-api-key-0123456789";
        builder.AddServiceDefaults("search");
        corpus.Register(builder.Services);
        _app = builder.Build();
        _app.MapSearchEndpoints();
        await _app.StartAsync();
        _client = _app.GetTestClient();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task Mutated_requests_are_answered_with_hits_or_a_4xx_problem()
    {
        var answered = 0;
        await Fuzz.RunAsync("POST /v1/search", Seed, Cases, Generate, async input =>
        {
            // The first byte of a case picks its content type; the rest is the body.
            using var content = new ByteArrayContent(input[1..]);
            content.Headers.TryAddWithoutValidation("Content-Type", ContentTypes[input[0] % ContentTypes.Length]);
            using var response = await _client.PostAsync("/v1/search", content);
            var text = await response.Content.ReadAsStringAsync();
            if (response.StatusCode == HttpStatusCode.OK)
            {
                Assert.True(JsonDocument.Parse(text).RootElement.GetProperty("hits").GetArrayLength() >= 0);
                answered++;
            }
            else
            {
                ProblemAssert.IsClientError(response, text);
            }
        }, TimeSpan.FromSeconds(10));
        // The corpus must reach the search itself, not only the parser's refusals.
        Assert.InRange(answered, Cases / 20, Cases - 1);
    }

    [Theory]
    [InlineData("not a multipart body at all")]
    [InlineData("--fuzz-boundary\r\nContent-Disposition: form-data; name=\"image\"; filename=\"q.png\"\r\n\r\n\x89PNG")]
    public async Task A_broken_multipart_body_is_a_400_naming_the_body(string body)
    {
        // Found by the fuzzer (random bytes sent as multipart/form-data): the form reader's IOException was a 500.
        using var content = new StringContent(body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse($"multipart/form-data; boundary={Boundary}");

        using var response = await _client.PostAsync("/v1/search", content);

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"answered {(int)response.StatusCode}: {text}");
        var errors = JsonDocument.Parse(text).RootElement.GetProperty("errors");
        Assert.Contains("multipart body could not be read", errors.GetProperty("body")[0].GetString(), StringComparison.Ordinal);
    }

    private static byte[] Generate(Random random)
    {
        var multipart = random.Next(3) == 0;
        var body = multipart ? Multipart(random) : Encoding.UTF8.GetBytes(Json(random));
        var mutated = random.Next(5) == 0 ? body : Fuzz.Mutate(random, body, Fuzz.HostileTokens, maxLength: 16 << 10);
        // Mostly the content type that matches the body, sometimes another.
        var contentType = random.Next(6) == 0 ? random.Next(ContentTypes.Length) : multipart ? 2 : random.Next(2);
        return [(byte)contentType, .. mutated];
    }

    private static string Json(Random random)
    {
        var image = Features(random, IndexedCorpusFixture.ImageDim);
        var text = Features(random, IndexedCorpusFixture.TextDim);
        string[] requests =
        [
            $$"""{"query":{"features":[{{image}}],"modality":"image"},"target":"text","k":5}""",
            $$$"""{"query":{"features":[{{{text}}}],"modality":"text"},"target":"any","k":3,"offset":1,"weights":{"specific":0.5,"shared":1}}""",
            """{"query":{"itemId":"item-0001","modality":"text"},"target":"image","k":10,"filter":{"labels":["class-1"],"metadata":{"parity":"even"}}}""",
            """{"query":{"text":"a red circle"},"k":2}""",
            """{"query":{"image":"iVBORw0KGgo="},"target":"image"}""",
        ];
        return requests[random.Next(requests.Length)];
    }

    private static string Features(Random random, int count) =>
        string.Join(",", Enumerable.Range(0, count).Select(_ => (random.NextDouble() * 4 - 2).ToString("R", System.Globalization.CultureInfo.InvariantCulture)));

    private static byte[] Multipart(Random random)
    {
        var builder = new StringBuilder();
        void Field(string name, string value) =>
            builder.Append($"--{Boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n");
        Field("target", random.Next(2) == 0 ? "image" : "any");
        Field("k", random.Next(1, 20).ToString(System.Globalization.CultureInfo.InvariantCulture));
        Field("specificWeight", "0.5");
        var head = Encoding.ASCII.GetBytes(builder.Append($"--{Boundary}\r\nContent-Disposition: form-data; name=\"image\"; filename=\"q.png\"\r\nContent-Type: image/png\r\n\r\n").ToString());
        byte[] png = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A, .. Fuzz.RandomBytes(random, random.Next(64))];
        return [.. head, .. png, .. Encoding.ASCII.GetBytes($"\r\n--{Boundary}--\r\n")];
    }
}
