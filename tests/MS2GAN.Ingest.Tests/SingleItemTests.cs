using System.Net;
using System.Net.Http.Headers;
using MS2GAN.Contracts;
using MS2GAN.Storage.Items;

namespace MS2GAN.Ingest.Tests;

public sealed class SingleItemTests(IngestApiFactory factory) : IClassFixture<IngestApiFactory>
{
    private static string NewId() => "t-" + Guid.NewGuid().ToString("N");

    [Fact]
    public async Task Accepts_a_json_item_records_it_and_announces_it_once_in_an_ItemsIngested_of_one_item()
    {
        var id = NewId();
        var response = await factory.Client.PostJsonAsync("/v1/items",
            $$"""{"id":"{{id}}","text":"a red square","labels":["shapes",3],"metadata":{"source":"test"},"textFeatures":[0.5,1,2]}""");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal($"/v1/items/{id}", response.Headers.Location?.OriginalString);
        var body = await response.JsonAsync();
        Assert.Equal(id, body.GetProperty("id").GetString());
        Assert.Equal("created", body.GetProperty("outcome").GetString());

        var message = Assert.Single(factory.Published.Of<ItemsIngested>(m => m.Items.Any(item => item.ItemId == id)));
        var published = Assert.Single(message.Items);
        Assert.True(published.HasText);
        Assert.True(published.HasTextFeatures);
        Assert.False(published.HasImage);
        var stored = await factory.Items.GetAsync(id);
        Assert.Equal(stored!.ContentHash, published.ContentHash);

        var item = await (await factory.Client.GetAsync($"/v1/items/{id}")).JsonAsync();
        Assert.Equal("ingested", item.GetProperty("state").GetString());
        Assert.Equal(["shapes", "3"], item.GetProperty("labels").EnumerateArray().Select(label => label.GetString()));
        Assert.Equal("test", item.GetProperty("metadata").GetProperty("source").GetString());
        Assert.True(item.GetProperty("hasText").GetBoolean());
        Assert.Equal("a red square", item.GetProperty("text").GetString());
        Assert.False(item.GetProperty("hasImage").GetBoolean());
        Assert.Equal(JsonValueKindNull, item.GetProperty("modelVersion").ValueKind);
    }

    [Fact]
    public async Task Generates_an_id_when_the_item_has_none()
    {
        var response = await factory.Client.PostJsonAsync("/v1/items", """{"text":"no id given"}""");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = (await response.JsonAsync()).GetProperty("id").GetString();
        Assert.True(ItemIds.IsValid(id));
        Assert.NotNull(await factory.Items.GetAsync(id!));
    }

    [Fact]
    public async Task The_same_item_again_once_indexed_is_unchanged_and_publishes_nothing()
    {
        var id = NewId();
        var json = $$$"""{"id":"{{{id}}}","text":"same","labels":["a","b"],"metadata":{"k":"v"}}""";
        var reordered = $$"""{"metadata":{"k":"v"},"labels":["b","a"],"text":"same","id":"{{id}}"}""";

        await factory.Client.PostJsonAsync("/v1/items", json);
        await factory.Items.MarkIndexedAsync([id], "v-test");
        var second = await factory.Client.PostJsonAsync("/v1/items", reordered);

        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        Assert.Equal("unchanged", (await second.JsonAsync()).GetProperty("outcome").GetString());
        Assert.Single(factory.Published.Ingested(m => m.ItemId == id));
    }

    [Fact]
    public async Task The_same_item_again_before_it_is_indexed_is_announced_again()
    {
        // The first announcement may have been lost (a broker outage answers 503 after the store write):
        // re-sending is how a client recovers, so an item still waiting for the encoder is published again.
        var id = NewId();
        var json = $$"""{"id":"{{id}}","text":"waiting"}""";

        await factory.Client.PostJsonAsync("/v1/items", json);
        var second = await factory.Client.PostJsonAsync("/v1/items", json);

        Assert.Equal("unchanged", (await second.JsonAsync()).GetProperty("outcome").GetString());
        var messages = factory.Published.Ingested(m => m.ItemId == id);
        Assert.Equal(2, messages.Count);
        Assert.Equal(messages[0].ContentHash, messages[1].ContentHash);
    }

    [Fact]
    public async Task New_content_under_the_same_id_replaces_the_item_and_is_published()
    {
        var id = NewId();
        await factory.Client.PostJsonAsync("/v1/items", $$"""{"id":"{{id}}","text":"first"}""");
        var second = await factory.Client.PostJsonAsync("/v1/items", $$"""{"id":"{{id}}","text":"second"}""");

        Assert.Equal("replaced", (await second.JsonAsync()).GetProperty("outcome").GetString());
        var messages = factory.Published.Ingested(m => m.ItemId == id);
        Assert.Equal(2, messages.Count);
        Assert.NotEqual(messages[0].ContentHash, messages[1].ContentHash);
        Assert.Equal("second", (await factory.Items.GetAsync(id))!.Text);
    }

    [Fact]
    public async Task Stores_a_base64_png_in_the_media_store_and_never_in_the_message()
    {
        var id = NewId();
        var png = TestImages.Png();
        var response = await factory.Client.PostJsonAsync("/v1/items",
            $$"""{"id":"{{id}}","image":"{{Convert.ToBase64String(png)}}","labels":[1]}""");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var stored = await factory.Items.GetAsync(id);
        Assert.Equal("image/png", stored!.ImageContentType);
        await using (var media = await factory.Media.OpenReadAsync(stored.ImageMediaRef!))
        {
            using var copy = new MemoryStream();
            await media!.CopyToAsync(copy);
            Assert.Equal(png, copy.ToArray());
        }
        var message = Assert.Single(factory.Published.Ingested(m => m.ItemId == id));
        Assert.True(message.HasImage);
        Assert.True((await (await factory.Client.GetAsync($"/v1/items/{id}")).JsonAsync()).GetProperty("hasImage").GetBoolean());
    }

    [Fact]
    public async Task Replacing_the_image_deletes_the_old_media_file()
    {
        var id = NewId();
        await factory.Client.PostJsonAsync("/v1/items", $$"""{"id":"{{id}}","image":"{{Convert.ToBase64String(TestImages.Png())}}"}""");
        var oldRef = (await factory.Items.GetAsync(id))!.ImageMediaRef!;
        await factory.Client.PostJsonAsync("/v1/items",
            $$"""{"id":"{{id}}","image":"{{Convert.ToBase64String(TestImages.Png(color: SkiaSharp.SKColors.Blue))}}"}""");

        var newRef = (await factory.Items.GetAsync(id))!.ImageMediaRef!;
        Assert.NotEqual(oldRef, newRef);
        Assert.Null(await factory.Media.OpenReadAsync(oldRef));
    }

    [Fact]
    public async Task Accepts_a_multipart_item_with_an_image_file()
    {
        var id = NewId();
        var png = TestImages.Png();
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(png);
        file.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        form.Add(file, "image", "square.png");
        form.Add(new StringContent(id), "id");
        form.Add(new StringContent("a red square"), "text");
        form.Add(new StringContent("""["shapes", 7]"""), "labels");
        form.Add(new StringContent("""{"source":"upload"}"""), "metadata");

        var response = await factory.Client.PostAsync("/v1/items", form);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var stored = await factory.Items.GetAsync(id);
        Assert.Equal(["shapes", "7"], stored!.Labels);
        Assert.Equal("upload", stored.Metadata["source"]);
        Assert.Equal("a red square", stored.Text);
        Assert.NotNull(stored.ImageMediaRef);
        Assert.Single(factory.Published.Ingested(m => m.ItemId == id && m.HasImage && m.HasText));
    }

    [Fact]
    public async Task Refuses_a_multipart_image_that_does_not_decode()
    {
        var id = NewId();
        using var form = new MultipartFormDataContent();
        form.Add(new ByteArrayContent("not an image at all"u8.ToArray()), "image", "x.png");
        form.Add(new StringContent(id), "id");

        var response = await factory.Client.PostAsync("/v1/items", form);

        await response.ValidationProblemAsync("image");
        Assert.Null(await factory.Items.GetAsync(id));
        Assert.Empty(factory.Published.Ingested(m => m.ItemId == id));
    }

    [Fact]
    public async Task A_publish_failure_after_the_store_write_answers_503_and_keeps_the_item_ingested()
    {
        var id = NewId();
        factory.Published.FailFor(id);

        var response = await factory.Client.PostJsonAsync("/v1/items", $$"""{"id":"{{id}}","text":"broker down"}""");

        await response.ProblemAsync(HttpStatusCode.ServiceUnavailable);
        Assert.Equal(ItemState.Ingested, (await factory.Items.GetAsync(id))!.State);
    }

    [Fact]
    public async Task Delete_removes_the_item_and_its_media_and_publishes_ItemDeleted()
    {
        var id = NewId();
        await factory.Client.PostJsonAsync("/v1/items", $$"""{"id":"{{id}}","image":"{{Convert.ToBase64String(TestImages.Png())}}"}""");
        var mediaRef = (await factory.Items.GetAsync(id))!.ImageMediaRef!;

        var response = await factory.Client.DeleteAsync($"/v1/items/{id}");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Null(await factory.Items.GetAsync(id));
        Assert.Null(await factory.Media.OpenReadAsync(mediaRef));
        Assert.Single(factory.Published.Of<ItemDeleted>(m => m.ItemId == id));
        await (await factory.Client.GetAsync($"/v1/items/{id}")).ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Unknown_ids_answer_404_for_get_and_delete()
    {
        await (await factory.Client.GetAsync("/v1/items/no-such-item")).ProblemAsync(HttpStatusCode.NotFound);
        await (await factory.Client.DeleteAsync("/v1/items/no-such-item")).ProblemAsync(HttpStatusCode.NotFound);
        Assert.Empty(factory.Published.Of<ItemDeleted>(m => m.ItemId == "no-such-item"));
    }

    [Fact]
    public async Task Writes_need_the_api_key_and_reads_do_not()
    {
        var id = NewId();
        var anonymous = factory.AnonymousClient;

        var missing = await anonymous.PostJsonAsync("/v1/items", $$"""{"id":"{{id}}","text":"x"}""");
        await missing.ProblemAsync(HttpStatusCode.Unauthorized);

        var wrong = new HttpRequestMessage(HttpMethod.Post, "/v1/items")
        {
            Content = new StringContent($$"""{"id":"{{id}}","text":"x"}""", System.Text.Encoding.UTF8, "application/json"),
        };
        wrong.Headers.Add("X-Api-Key", "not-the-key-0123456789");
        await (await anonymous.SendAsync(wrong)).ProblemAsync(HttpStatusCode.Unauthorized);
        await (await anonymous.PostNdjsonAsync("/v1/items/batch", $$"""{"id":"{{id}}","text":"x"}""")).ProblemAsync(HttpStatusCode.Unauthorized);

        Assert.Null(await factory.Items.GetAsync(id));
        Assert.Empty(factory.Published.Ingested(m => m.ItemId == id));

        await factory.Client.PostJsonAsync("/v1/items", $$"""{"id":"{{id}}","text":"x"}""");
        await (await anonymous.DeleteAsync($"/v1/items/{id}")).ProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync($"/v1/items/{id}")).StatusCode);
    }

    private const System.Text.Json.JsonValueKind JsonValueKindNull = System.Text.Json.JsonValueKind.Null;
}
