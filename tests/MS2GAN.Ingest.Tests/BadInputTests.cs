using System.Net;
using MS2GAN.Contracts;

namespace MS2GAN.Ingest.Tests;

public sealed class BadInputTests(IngestApiFactory factory) : IClassFixture<IngestApiFactory>
{
    private static string NewId() => "bad-" + Guid.NewGuid().ToString("N");

    private static string Png64(byte[] bytes) => Convert.ToBase64String(bytes);

    public static TheoryData<string, string> BadItems => new()
    {
        // json template ({0} is the id), field expected in the errors
        { """{"id":"{0}","text":""", "body" },
        { """{"id":"{0}","labels":["x"]}""", "item" },
        { """{"id":"{0}","image":"bm90IGFuIGltYWdl"}""", "image" },
        { """{"id":"{0}","image":"###"}""", "image" },
        { $$$"""{"id":"{0}","image":"{{{Png64(PngHeaders.Claiming(10_000, 10_000))}}}"}""", "image" },
        { $$$"""{"id":"{0}","image":"{{{Png64(TestImages.Png(64)[..200])}}}"}""", "image" },
        { $$$"""{"id":"{0}","text":"{{{new string('x', IngestApiFactory.MaxTextLength + 1)}}}"}""", "text" },
        { """{"id":"{0}","imageFeatures":[1,2,"NaN",4]}""", "imageFeatures" },
        { """{"id":"{0}","imageFeatures":[1,2,3,1e39]}""", "imageFeatures" },
        { """{"id":"{0}","imageFeatures":[1,2,3]}""", "imageFeatures" },
        { """{"id":"{0}","textFeatures":[1,2,3,4]}""", "textFeatures" },
        { """{"id":"{0}","text":"ok","labels":[1.5]}""", "labels" },
        { """{"id":"{0}","text":"ok","metadata":{"k":1}}""", "metadata" },
        { """{"id":"{0}","text":"ok","lables":["typo"]}""", "lables" },
    };

    [Theory]
    [MemberData(nameof(BadItems))]
    public async Task Refuses_a_bad_item_naming_the_field_and_stores_and_publishes_nothing(string template, string field)
    {
        var id = NewId();
        var response = await factory.Client.PostJsonAsync("/v1/items", template.Replace("{0}", id, StringComparison.Ordinal));

        await response.ValidationProblemAsync(field);
        Assert.Null(await factory.Items.GetAsync(id));
        Assert.Empty(factory.Published.Ingested(m => m.ItemId == id));
    }

    [Theory]
    [InlineData("../x")]
    [InlineData(".hidden")]
    [InlineData("a b")]
    public async Task Refuses_a_bad_id(string id)
    {
        var response = await factory.Client.PostJsonAsync("/v1/items", $$"""{"id":"{{id}}","text":"ok"}""");

        await response.ValidationProblemAsync("id");
        Assert.Empty(factory.Published.Ingested(m => m.ItemId == id));
    }

    [Fact]
    public async Task Names_every_bad_field_at_once()
    {
        var response = await factory.Client.PostJsonAsync("/v1/items",
            $$"""{"id":"../x","text":"{{new string('x', IngestApiFactory.MaxTextLength + 1)}}","textFeatures":[1]}""");

        var problem = await response.ValidationProblemAsync("id");
        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty("text", out _));
        Assert.True(errors.TryGetProperty("textFeatures", out _));
    }

    [Fact]
    public async Task Refuses_other_content_types_with_415()
    {
        var response = await factory.Client.PostAsync("/v1/items", new StringContent("text=hello", System.Text.Encoding.UTF8, "text/plain"));

        var problem = await response.ProblemAsync(HttpStatusCode.UnsupportedMediaType);
        Assert.Equal("POST /v1/items does not accept the Content-Type 'text/plain; charset=utf-8'; /openapi/v1.json lists the content types each endpoint takes.",
            problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Refuses_a_body_over_the_request_limit_with_413()
    {
        var id = NewId();
        var response = await factory.Client.PostJsonAsync("/v1/items",
            $$"""{"id":"{{id}}","text":"{{new string('x', IngestApiFactory.MaxRequestBytes)}}"}""");

        await response.ProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.Null(await factory.Items.GetAsync(id));
    }

    [Theory]
    [InlineData("not a multipart body at all")]
    [InlineData("--fuzz-boundary\r\nContent-Disposition: form-data; name=\"image\"; filename=\"q.png\"\r\n\r\n\x89PNG")]
    public async Task A_broken_multipart_body_is_a_400_naming_the_body(string body)
    {
        using var content = new StringContent(body);
        content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse("multipart/form-data; boundary=fuzz-boundary");

        var response = await factory.Client.PostAsync("/v1/items", content);

        await response.ValidationProblemAsync("body");
    }
}
