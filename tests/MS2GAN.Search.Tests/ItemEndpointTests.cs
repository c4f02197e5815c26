using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using MS2GAN.ServiceDefaults;
using MS2GAN.Storage.Items;
using MS2GAN.Storage.Media;

namespace MS2GAN.Search.Tests;

/// <summary>
/// GET /v1/items/{id}/media and GET /v1/search/items/{id} over HTTP (Kestrel on loopback, the service defaults, a real
/// SQLite item store and media folder), with search behind the API key (ApiKeys:RequireForSearch) and a media limit of
/// <see cref="MediaLimit"/> bytes.
/// </summary>
public sealed class ItemEndpointTests : IAsyncLifetime
{
    private const string ApiKey = "item-endpoint-key-0123456789";
    private const int MediaLimit = 4096;
    private const string Caption = "a red circle covered in dots — ünïcode";

    private readonly TempFolder _folder = new();
    private readonly byte[] _png = PngHeaders.Claiming(8, 8);
    private SqliteItemStore _items = null!;
    private FileMediaStore _media = null!;
    private WebApplication _app = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _items = new SqliteItemStore(_folder.File("items.db"));
        _media = new FileMediaStore(new FileMediaStoreOptions { RootPath = _folder.File("media") });
        // A secret beside the media folder: what a path escaping it would reach.
        File.WriteAllText(_folder.File("secret.txt"), "root:x:0:0");
        await Put("both", _png, "image/png", Caption);
        await Put("big", new byte[MediaLimit + 1], "image/jpeg", null);
        await Put("words", null, null, "only text");

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.Configuration["Serilog:MinimumLevel:Default"] = "Warning";
        builder.Configuration["ApiKeys:Key"] = ApiKey;
        builder.Configuration["ApiKeys:RequireForSearch"] = "true";
        builder.Configuration["Search:MaxMediaBytes"] = MediaLimit.ToString(System.Globalization.CultureInfo.InvariantCulture);
        builder.Configuration["Pipeline:DataDirectory"] = _folder.File("data");
        builder.AddServiceDefaults("search");
        builder.AddSearchService();
        builder.Services.AddSingleton<IItemStore>(_items);
        builder.Services.AddSingleton<IMediaStore>(_media);
        _app = builder.Build();
        _app.MapSearchEndpoints();
        _client = new HttpClient { BaseAddress = await _app.StartOnLoopbackAsync() };
        _client.DefaultRequestHeaders.Add(ApiKeyOptions.HeaderName, ApiKey);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _app.DisposeAsync();
        _items.Dispose();
        _folder.Dispose();
    }

    [Fact]
    public async Task Serves_the_image_with_its_content_type_and_the_text_as_plain_utf8()
    {
        var image = await _client.GetAsync("/v1/items/both/media");
        Assert.Equal(HttpStatusCode.OK, image.StatusCode);
        Assert.Equal("image/png", image.Content.Headers.ContentType?.MediaType);
        Assert.Equal(_png, await image.Content.ReadAsByteArrayAsync());
        Assert.Equal("nosniff", image.Headers.GetValues("X-Content-Type-Options").Single());

        var text = await _client.GetAsync("/v1/items/both/media?modality=text");
        Assert.Equal(("text/plain", "utf-8"), (text.Content.Headers.ContentType?.MediaType, text.Content.Headers.ContentType?.CharSet));
        Assert.Equal(Caption, await text.Content.ReadAsStringAsync());

        // without a modality: the image when there is one, else the text
        var onlyText = await _client.GetAsync("/v1/items/words/media");
        Assert.Equal(("text/plain", "only text"), (onlyText.Content.Headers.ContentType?.MediaType, await onlyText.Content.ReadAsStringAsync()));
    }

    [Theory]
    [InlineData("/v1/items/nobody/media", "no item nobody")]
    [InlineData("/v1/items/words/media?modality=image", "item words has no image")]
    [InlineData("/v1/items/big/media?modality=text", "item big has no text")]
    public async Task Missing_media_is_a_404_problem(string path, string title)
    {
        var response = await _client.GetAsync(path);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(title, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("title").GetString());
    }

    [Theory]
    [InlineData("/v1/items/..%2Fsecret.txt/media")]
    [InlineData("/v1/items/..%2F..%2F..%2Fetc%2Fpasswd/media")]
    [InlineData("/v1/items/%2E%2E%2Fsecret.txt/media")]
    [InlineData("/v1/items/media%5C..%5Csecret.txt/media")]
    [InlineData("/v1/items/%2Fetc%2Fpasswd/media")]
    [InlineData("/v1/search/items/..%2Fsecret.txt")]
    public async Task Ids_that_try_to_leave_the_media_folder_are_refused_by_the_id_rules(string path)
    {
        var response = await _client.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        ProblemAssert.IsClientError(response, body);
        Assert.True(JsonDocument.Parse(body).RootElement.GetProperty("errors").TryGetProperty("id", out _), body);
        Assert.DoesNotContain("root:", body);
    }

    [Fact]
    public async Task A_path_that_resolves_outside_the_endpoint_is_not_found()
    {
        // %2E%2E alone is a dot segment the server removes: the path no longer names the media endpoint.
        var response = await _client.GetAsync("/v1/items/%2E%2E/media");
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("root:", body);
    }

    [Fact]
    public async Task Media_over_the_limit_and_an_unknown_modality_are_refused()
    {
        var big = await _client.GetAsync("/v1/items/big/media");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, big.StatusCode);
        var problem = JsonDocument.Parse(await big.Content.ReadAsStringAsync()).RootElement;
        Assert.Contains("over the limit of 4,096 bytes", problem.GetProperty("detail").GetString());

        var odd = await _client.GetAsync("/v1/items/both/media?modality=audio");
        Assert.Equal(HttpStatusCode.BadRequest, odd.StatusCode);
        ProblemAssert.IsClientError(odd, await odd.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_item_view_shows_labels_state_and_media()
    {
        using var view = JsonDocument.Parse(await _client.GetStringAsync("/v1/search/items/both"));
        var item = view.RootElement;
        Assert.Equal("ingested", item.GetProperty("state").GetString());
        Assert.Equal("red dotted circle", item.GetProperty("labels")[0].GetString());
        Assert.Equal("image/png", item.GetProperty("imageContentType").GetString());
        Assert.True(item.GetProperty("hasText").GetBoolean());
    }

    [Fact]
    public async Task Without_the_key_a_keyed_search_service_answers_401()
    {
        using var anonymous = new HttpClient { BaseAddress = _client.BaseAddress };
        var response = await anonymous.GetAsync("/v1/items/both/media");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private async Task Put(string id, byte[]? image, string? contentType, string? text)
    {
        var mediaRef = image is null ? null : await _media.PutAsync(id, image, contentType!);
        await _items.UpsertAsync(new ItemRecord
        {
            Id = id,
            Labels = ["red dotted circle"],
            Text = text,
            ImageMediaRef = mediaRef,
            ImageContentType = contentType,
            ContentHash = ItemContentHash.Compute(["red dotted circle"], new Dictionary<string, string>(), text, mediaRef, [], []),
        });
    }
}
